package com.example.dailynews.core.privacy

import android.content.Context
import android.content.SharedPreferences
import androidx.core.content.edit

/**
 * The user's answer to the privacy-policy dialog.
 *
 * Consent is tied to [POLICY_VERSION]: when the policy text changes, bump the version and every
 * user is asked again before any SDK starts.
 */
object PrivacyStore {

    /** Version of the policy in assets/privacy_policy.html. */
    const val POLICY_VERSION = 3

    private const val PREFS_NAME = "privacy_consent"
    private const val KEY_AGREED = "privacy_agreed"
    private const val KEY_POLICY_VERSION = "privacy_policy_version"
    private const val KEY_AGREED_AT = "privacy_agreed_at"
    private const val KEY_BASIC_MODE = "basic_mode"

    /** True only if the user agreed to the current policy version. */
    @JvmStatic
    fun isAgreed(context: Context): Boolean {
        val prefs = prefs(context)
        return prefs.getBoolean(KEY_AGREED, false) &&
            prefs.getInt(KEY_POLICY_VERSION, 0) == POLICY_VERSION
    }

    /** The user agreed to an older policy; show the "policy updated" dialog. */
    @JvmStatic
    fun hasOutdatedConsent(context: Context): Boolean {
        val prefs = prefs(context)
        return prefs.getBoolean(KEY_AGREED, false) &&
            prefs.getInt(KEY_POLICY_VERSION, 0) < POLICY_VERSION
    }

    @JvmStatic
    fun setAgreed(context: Context, agreed: Boolean) {
        prefs(context).edit(commit = true) {
            putBoolean(KEY_AGREED, agreed)
            if (agreed) {
                putInt(KEY_POLICY_VERSION, POLICY_VERSION)
                putLong(KEY_AGREED_AT, System.currentTimeMillis())
                remove(KEY_BASIC_MODE)
            } else {
                remove(KEY_POLICY_VERSION)
                remove(KEY_AGREED_AT)
            }
        }
    }

    /** Basic mode: the user declined; news can be browsed and searched, nothing else runs. */
    @JvmStatic
    fun isBasicMode(context: Context): Boolean = prefs(context).getBoolean(KEY_BASIC_MODE, false)

    @JvmStatic
    fun setBasicMode(context: Context, basicMode: Boolean) {
        prefs(context).edit { putBoolean(KEY_BASIC_MODE, basicMode) }
    }

    private fun prefs(context: Context): SharedPreferences =
        context.applicationContext.getSharedPreferences(PREFS_NAME, Context.MODE_PRIVATE)
}
