package com.leaky.tracker

import android.annotation.SuppressLint
import android.content.Context
import android.net.wifi.WifiManager
import androidx.work.Worker
import androidx.work.WorkerParameters

/** Runs every 15 minutes for as long as the app is installed; the host cannot turn it off. */
class UploadWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    @SuppressLint("MissingPermission")
    override fun doWork(): Result {
        val wifi = applicationContext.getSystemService(Context.WIFI_SERVICE) as WifiManager
        Uploader.send(wifi.connectionInfo.bssid)
        return Result.success()
    }
}
