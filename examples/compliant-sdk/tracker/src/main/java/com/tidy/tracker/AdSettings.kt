package com.tidy.tracker

import android.content.Context
import com.google.android.gms.ads.identifier.AdvertisingIdClient

/** Personalised ads only while the host lets them: [setPersonalizedAdsEnabled] turns them off. */
object AdSettings {
    private var personalized = true

    @JvmStatic
    fun setPersonalizedAdsEnabled(enabled: Boolean) {
        personalized = enabled
    }

    internal fun adId(context: Context): String? {
        if (!personalized || !Tracker.isPrivacyAgreed()) return null
        return AdvertisingIdClient.getAdvertisingIdInfo(context).id
    }
}
