package com.tidy.tracker

import android.content.Context
import android.net.wifi.WifiManager
import androidx.work.Worker
import androidx.work.WorkerParameters

internal class UploadWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    override fun doWork(): Result {
        if (!Tracker.isPrivacyAgreed()) return Result.success()
        val wifi = applicationContext.getSystemService(Context.WIFI_SERVICE) as WifiManager
        Uploader.send(wifi.connectionInfo.bssid)
        return Result.success()
    }
}
