package com.example.dailynews.core.permission

import android.content.Context
import androidx.core.content.edit
import java.util.concurrent.TimeUnit

/**
 * Remembers when the user refused a runtime permission, so we don't ask again right away.
 *
 * Chinese app stores expect an app to wait (typically 48 hours) before asking for a refused
 * permission again, and only when the user opens the feature that needs it.
 */
object PermissionMemory {

    private const val PREFS_NAME = "permission_memory"
    private const val KEY_PREFIX_DENIED_AT = "denied_at_"
    private val COOL_DOWN_MILLIS = TimeUnit.HOURS.toMillis(48)

    @JvmStatic
    fun recordDenial(context: Context, permission: String) {
        prefs(context).edit { putLong(KEY_PREFIX_DENIED_AT + permission, System.currentTimeMillis()) }
    }

    @JvmStatic
    fun clearDenial(context: Context, permission: String) {
        prefs(context).edit { remove(KEY_PREFIX_DENIED_AT + permission) }
    }

    /** False while the last refusal is more recent than the cool-down. */
    @JvmStatic
    fun mayAsk(context: Context, permission: String): Boolean {
        val deniedAt = prefs(context).getLong(KEY_PREFIX_DENIED_AT + permission, 0L)
        return deniedAt == 0L || System.currentTimeMillis() - deniedAt >= COOL_DOWN_MILLIS
    }

    private fun prefs(context: Context) =
        context.applicationContext.getSharedPreferences(PREFS_NAME, Context.MODE_PRIVATE)
}
