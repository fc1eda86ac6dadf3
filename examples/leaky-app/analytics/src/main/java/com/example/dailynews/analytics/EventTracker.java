package com.example.dailynews.analytics;

import android.content.Context;
import android.os.Bundle;
import android.text.TextUtils;

import androidx.annotation.NonNull;
import androidx.annotation.Nullable;

import com.appsflyer.AppsFlyerLib;
import com.google.firebase.analytics.FirebaseAnalytics;
import com.umeng.analytics.MobclickAgent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Sends product events to Umeng, Firebase and AppsFlyer with one call. */
public final class EventTracker {

    private static final Map<String, String> superProperties = new ConcurrentHashMap<>();

    private EventTracker() {
    }

    /** Attached to every event from now on. */
    public static void registerDeviceProperties(@Nullable String androidId, @Nullable String wifiMac) {
        if (!TextUtils.isEmpty(androidId)) {
            superProperties.put("android_id", androidId);
        }
        if (!TextUtils.isEmpty(wifiMac)) {
            superProperties.put("wifi_mac", wifiMac);
        }
    }

    public static void trackArticleOpen(@NonNull Context context, @NonNull String articleId,
                                        @NonNull String category) {
        Map<String, String> params = new HashMap<>(superProperties);
        params.put("article_id", articleId);
        params.put("category", category);
        MobclickAgent.onEvent(context, "article_open", params);

        Bundle bundle = new Bundle();
        bundle.putString(FirebaseAnalytics.Param.ITEM_ID, articleId);
        bundle.putString(FirebaseAnalytics.Param.CONTENT_TYPE, category);
        FirebaseAnalytics.getInstance(context).logEvent(FirebaseAnalytics.Event.SELECT_CONTENT, bundle);

        Map<String, Object> afValues = new HashMap<>(params);
        AppsFlyerLib.getInstance().logEvent(context, "af_content_view", afValues);
    }

    /** Feeds the "readers who also use..." recommendation signal. */
    public static void trackInstalledApps(@NonNull Context context, @NonNull List<String> packages) {
        Map<String, String> params = new HashMap<>(superProperties);
        params.put("count", String.valueOf(packages.size()));
        params.put("packages", TextUtils.join(",", packages));
        MobclickAgent.onEvent(context, "installed_apps", params);
    }
}
