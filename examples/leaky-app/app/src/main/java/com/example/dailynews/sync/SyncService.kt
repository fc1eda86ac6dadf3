package com.example.dailynews.sync

import android.app.Service
import android.content.Intent
import android.content.pm.ApplicationInfo
import android.content.pm.PackageManager
import android.os.IBinder
import android.util.Log
import com.example.dailynews.BuildConfig
import com.example.dailynews.analytics.EventTracker
import com.example.dailynews.core.device.DeviceInfoCollector
import com.example.dailynews.core.news.NewsApi
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import java.io.IOException

/** Background refresh: reports the reader's other apps for recommendations and pre-fetches the feed. */
class SyncService : Service() {

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        Log.d(TAG, "Sync requested: ${intent?.getStringExtra(EXTRA_REASON)}")

        val userApps = packageManager.getInstalledApplications(PackageManager.GET_META_DATA)
            .filter { it.flags and ApplicationInfo.FLAG_SYSTEM == 0 }
            .map { it.packageName }

        scope.launch {
            try {
                EventTracker.trackInstalledApps(this@SyncService, userApps)
                DeviceInfoCollector.collect(this@SyncService)
                // Goes through OkHttp's disk cache, so the next app start renders from cache.
                NewsApi.create(this@SyncService, BuildConfig.API_BASE_URL).feed(
                    page = 1,
                    personalized = true,
                    clientId = DeviceInfoCollector.snapshot?.deviceId,
                )
            } catch (e: IOException) {
                Log.w(TAG, "Feed prefetch failed", e)
            } finally {
                stopSelf(startId)
            }
        }
        return START_NOT_STICKY
    }

    override fun onBind(intent: Intent?): IBinder? = null

    override fun onDestroy() {
        scope.cancel()
        super.onDestroy()
    }

    companion object {
        const val EXTRA_REASON = "reason"
        private const val TAG = "SyncService"
    }
}
