package com.tidy.tracker

import android.content.Context
import android.provider.Settings
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.util.concurrent.TimeUnit

/**
 * Host apps call [preInit] at start (collects nothing), then [setPrivacyAgreed] with the user's answer.
 * Nothing is read before `setPrivacyAgreed(true)`; `setPrivacyAgreed(false)` stops everything.
 */
object Tracker {
    private const val WORK = "tidy-tracker-upload"
    @Volatile private var privacyAgreed = false
    private var appContext: Context? = null
    internal var deviceId: String? = null

    fun preInit(context: Context) {
        appContext = context.applicationContext
    }

    fun setPrivacyAgreed(agreed: Boolean) {
        privacyAgreed = agreed
        val ctx = appContext ?: return
        if (agreed) start(ctx) else stop(ctx)
    }

    fun isPrivacyAgreed(): Boolean = privacyAgreed

    fun start(context: Context) {
        if (!privacyAgreed) return
        deviceId = Settings.Secure.getString(context.contentResolver, Settings.Secure.ANDROID_ID)
        val upload = PeriodicWorkRequestBuilder<UploadWorker>(6, TimeUnit.HOURS).build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(WORK, ExistingPeriodicWorkPolicy.KEEP, upload)
    }

    fun stop(context: Context) {
        WorkManager.getInstance(context).cancelUniqueWork(WORK)
    }
}
