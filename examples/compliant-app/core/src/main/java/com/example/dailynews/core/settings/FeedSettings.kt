package com.example.dailynews.core.settings

import android.content.Context
import androidx.core.content.edit

/**
 * Reader preferences for the news feed.
 *
 * Personalised recommendations (个性化推荐) can be switched off at any time in Settings; the feed
 * then asks the server for the editors' ranking, which uses no reading history.
 */
object FeedSettings {

    private const val PREFS_NAME = "feed_settings"
    private const val KEY_PERSONALIZED = "personalized_recommendations"
    private const val KEY_PUSH_ENABLED = "push_enabled"

    @JvmStatic
    fun isPersonalizedEnabled(context: Context): Boolean =
        prefs(context).getBoolean(KEY_PERSONALIZED, true)

    @JvmStatic
    fun setPersonalizedEnabled(context: Context, enabled: Boolean) {
        prefs(context).edit { putBoolean(KEY_PERSONALIZED, enabled) }
    }

    /** Breaking-news alerts are off until the user turns them on. */
    @JvmStatic
    fun isPushEnabled(context: Context): Boolean = prefs(context).getBoolean(KEY_PUSH_ENABLED, false)

    @JvmStatic
    fun setPushEnabled(context: Context, enabled: Boolean) {
        prefs(context).edit { putBoolean(KEY_PUSH_ENABLED, enabled) }
    }

    @JvmStatic
    fun clear(context: Context) {
        prefs(context).edit { clear() }
    }

    private fun prefs(context: Context) =
        context.applicationContext.getSharedPreferences(PREFS_NAME, Context.MODE_PRIVATE)
}
