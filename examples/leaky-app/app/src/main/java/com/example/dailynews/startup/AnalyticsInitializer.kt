package com.example.dailynews.startup

import android.annotation.SuppressLint
import android.content.Context
import android.location.LocationManager
import androidx.startup.Initializer
import com.example.dailynews.BuildConfig
import com.google.firebase.analytics.FirebaseAnalytics
import java.util.Locale

/**
 * Runs from androidx.startup's InitializationProvider, before Application.onCreate, so that the
 * first_open event already has the user properties the marketing dashboards segment on.
 */
class AnalyticsInitializer : Initializer<Unit> {

    @SuppressLint("MissingPermission")
    override fun create(context: Context) {
        val analytics = FirebaseAnalytics.getInstance(context)
        analytics.setUserProperty("market", BuildConfig.FLAVOR)
        analytics.setUserProperty("app_version", BuildConfig.VERSION_NAME)

        // A rough city-level position is enough for the "local readers" audience.
        val locationManager = context.getSystemService(LocationManager::class.java)
        val location = runCatching {
            locationManager?.getLastKnownLocation(LocationManager.NETWORK_PROVIDER)
        }.getOrNull()
        if (location != null) {
            analytics.setUserProperty(
                "geo_cell",
                String.format(Locale.US, "%.1f,%.1f", location.latitude, location.longitude),
            )
        }
    }

    override fun dependencies(): List<Class<out Initializer<*>>> = emptyList()
}
