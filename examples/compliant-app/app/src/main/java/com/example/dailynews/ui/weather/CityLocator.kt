package com.example.dailynews.ui.weather

import android.content.Context
import com.amap.api.location.AMapLocation
import com.amap.api.location.AMapLocationClient
import com.amap.api.location.AMapLocationClientOption

/** Resolves the user's city once, for the weather card. */
class CityLocator(context: Context) {

    fun interface Callback {
        fun onCity(city: String?)
    }

    private val appContext = context.applicationContext
    private var client: AMapLocationClient? = null

    fun locate(callback: Callback) {
        stop()
        val newClient = try {
            AMapLocationClient(appContext)
        } catch (e: Exception) {
            // Thrown by the SDK when the privacy flags have not been set.
            callback.onCity(null)
            return
        }
        newClient.setLocationOption(
            AMapLocationClientOption().apply {
                locationMode = AMapLocationClientOption.AMapLocationMode.Battery_Saving
                isOnceLocation = true
                isNeedAddress = true
            },
        )
        newClient.setLocationListener { location: AMapLocation? ->
            val city = location
                ?.takeIf { it.errorCode == AMapLocation.LOCATION_SUCCESS }
                ?.city
            callback.onCity(city)
            stop()
        }
        client = newClient
        newClient.startLocation()
    }

    fun stop() {
        client?.let {
            it.stopLocation()
            it.onDestroy()
        }
        client = null
    }
}
