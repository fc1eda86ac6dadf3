package com.leaky.tracker

import android.content.Context
import com.google.android.gms.ads.identifier.AdvertisingIdClient

/** Personalised ads from the tracker's profile; there is no way to turn personalisation off. */
class AdBanner(private val context: Context) { // expect: SD606
    fun loadPersonalizedAd(slot: String) {
        val adId = AdvertisingIdClient.getAdvertisingIdInfo(context).id // expect: SD602
        Uploader.send(slot, adId)
    }
}
