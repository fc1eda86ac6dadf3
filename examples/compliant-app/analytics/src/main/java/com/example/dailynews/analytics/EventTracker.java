package com.example.dailynews.analytics;

import android.content.Context;
import android.os.Bundle;

import androidx.annotation.NonNull;

import com.example.dailynews.core.privacy.PrivacyStore;
import com.google.firebase.analytics.FirebaseAnalytics;
import com.umeng.analytics.MobclickAgent;

import java.util.HashMap;
import java.util.Map;

/**
 * Product events for Umeng and Firebase.
 *
 * <p>Events carry only what the privacy policy lists (article id and category). Nothing is sent
 * unless the user has agreed to the policy; in basic mode every call is a no-op.
 */
public final class EventTracker {

    private EventTracker() {
    }

    public static void trackArticleOpen(@NonNull Context context, @NonNull String articleId,
                                        @NonNull String category) {
        if (!PrivacyStore.isAgreed(context)) {
            return;
        }
        Map<String, String> params = new HashMap<>();
        params.put("article_id", articleId);
        params.put("category", category);
        MobclickAgent.onEvent(context, "article_open", params);

        Bundle bundle = new Bundle();
        bundle.putString(FirebaseAnalytics.Param.ITEM_ID, articleId);
        bundle.putString(FirebaseAnalytics.Param.CONTENT_TYPE, category);
        FirebaseAnalytics.getInstance(context).logEvent(FirebaseAnalytics.Event.SELECT_CONTENT, bundle);
    }

    public static void trackCommentPosted(@NonNull Context context, @NonNull String articleId,
                                          boolean withPhoto) {
        if (!PrivacyStore.isAgreed(context)) {
            return;
        }
        Map<String, String> params = new HashMap<>();
        params.put("article_id", articleId);
        params.put("with_photo", String.valueOf(withPhoto));
        MobclickAgent.onEvent(context, "comment_posted", params);
    }
}
