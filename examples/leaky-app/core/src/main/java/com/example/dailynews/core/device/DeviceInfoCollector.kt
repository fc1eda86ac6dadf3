package com.example.dailynews.core.device

import android.content.Context
import android.os.Build
import com.example.dailynews.analytics.DeviceIdProvider
import com.example.dailynews.core.net.NetworkMonitor

/** Device facts sent with API calls (X-Device-* headers) and used by the recommendation service. */
data class DeviceSnapshot(
    val deviceId: String,
    val brand: String,
    val model: String,
    val osVersion: String,
    val screen: String,
    val networkType: String,
) {
    fun asHeaders(): Map<String, String> = mapOf(
        "X-Device-Id" to deviceId,
        "X-Device-Model" to "$brand $model",
        "X-OS-Version" to osVersion,
        "X-Screen" to screen,
        "X-Network" to networkType,
    )
}

object DeviceInfoCollector {

    @Volatile
    var snapshot: DeviceSnapshot? = null
        private set

    /** Cheap after the first call; safe to call from any thread. */
    fun collect(context: Context) {
        if (snapshot != null) return
        val appContext = context.applicationContext
        val metrics = appContext.resources.displayMetrics
        snapshot = DeviceSnapshot(
            deviceId = DeviceIdProvider.getDeviceId(appContext),
            brand = Build.BRAND,
            model = Build.MODEL,
            osVersion = Build.VERSION.RELEASE,
            screen = "${metrics.widthPixels}x${metrics.heightPixels}",
            networkType = NetworkMonitor.networkType(appContext),
        )
    }
}
