package com.example.dailynews.push;

import cn.jpush.android.service.JCommonService;

/**
 * JCore looks up a subclass of {@link JCommonService} in the manifest (by the
 * {@code cn.jiguang.user.service.action} intent filter) and keeps the push connection in it.
 *
 * <p>It runs in the {@code :pushcore} process, see {@code src/cn/AndroidManifest.xml}. No
 * overrides are needed; the class only has to exist in the app's own package.
 */
public class PushCoreService extends JCommonService {
}
