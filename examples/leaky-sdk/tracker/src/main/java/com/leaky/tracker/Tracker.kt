package com.leaky.tracker

import android.annotation.SuppressLint
import android.content.Context
import android.provider.Settings
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.util.concurrent.TimeUnit

object Tracker {
    private var privacyAgreed = false
    private var deviceId: String? = null

    /** The host app's consent switch — stored, and then never looked at. */
    fun setPrivacyAgreed(agreed: Boolean) {
        privacyAgreed = agreed
    }

    fun init(context: Context) {
        deviceId = Settings.Secure.getString(context.contentResolver, Settings.Secure.ANDROID_ID) // expect: SD601
        val upload = PeriodicWorkRequestBuilder<UploadWorker>(15, TimeUnit.MINUTES).build() // expect: SD605
        WorkManager.getInstance(context).enqueue(upload)
    }

    fun start(context: Context) {
        DeviceInfo.collect(context)
    }
}
