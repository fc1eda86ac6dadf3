package com.example.dailynews.core.id

import android.content.Context
import androidx.core.content.edit
import java.util.UUID

/**
 * A random id generated on first use and stored in the app's own preferences.
 *
 * Used instead of any device identifier: it identifies this installation only, disappears on
 * uninstall, and is regenerated when the user withdraws consent or deletes the account.
 */
object InstallationId {

    private const val PREFS_NAME = "installation"
    private const val KEY_ID = "installation_id"

    @Volatile
    private var cached: String? = null

    @JvmStatic
    fun get(context: Context): String {
        cached?.let { return it }
        synchronized(this) {
            cached?.let { return it }
            val prefs = context.applicationContext.getSharedPreferences(PREFS_NAME, Context.MODE_PRIVATE)
            val id = prefs.getString(KEY_ID, null) ?: UUID.randomUUID().toString().also { newId ->
                prefs.edit { putString(KEY_ID, newId) }
            }
            cached = id
            return id
        }
    }

    @JvmStatic
    fun reset(context: Context) {
        synchronized(this) {
            context.applicationContext.getSharedPreferences(PREFS_NAME, Context.MODE_PRIVATE)
                .edit { remove(KEY_ID) }
            cached = null
        }
    }
}
