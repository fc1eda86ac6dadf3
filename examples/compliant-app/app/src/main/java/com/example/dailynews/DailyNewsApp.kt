package com.example.dailynews

import android.app.Application
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.core.privacy.SdkBootstrap
import com.example.dailynews.core.privacy.SdkKeys
import com.umeng.commonsdk.UMConfigure

class DailyNewsApp : Application() {

    override fun onCreate() {
        super.onCreate()

        SdkBootstrap.configure(
            SdkKeys(
                umengAppKey = BuildConfig.UMENG_APP_KEY,
                channel = BuildConfig.UMENG_CHANNEL,
                buglyAppId = BuildConfig.BUGLY_APP_ID,
                appsFlyerDevKey = BuildConfig.APPSFLYER_DEV_KEY,
                debug = BuildConfig.DEBUG,
            ),
        )

        // Umeng's documented pre-init: records the app key and channel, collects nothing.
        UMConfigure.setLogEnabled(BuildConfig.DEBUG)
        UMConfigure.preInit(this, BuildConfig.UMENG_APP_KEY, BuildConfig.UMENG_CHANNEL)

        // First launch (or a new policy version): SplashActivity asks first and starts the SDKs
        // from the dialog's "Agree" button.
        if (PrivacyStore.isAgreed(this)) {
            SdkBootstrap.initAll(this)
        }
    }
}
