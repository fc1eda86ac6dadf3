package com.example.dailynews.core.privacy

import android.content.Context
import android.os.Build
import cn.jiguang.api.utils.JCollectionAuth
import cn.jpush.android.api.JPushInterface
import com.amap.api.location.AMapLocationClient
import com.appsflyer.AppsFlyerLib
import com.example.dailynews.core.id.InstallationId
import com.example.dailynews.core.settings.FeedSettings
import com.google.firebase.analytics.FirebaseAnalytics
import com.google.firebase.crashlytics.FirebaseCrashlytics
import com.tencent.bugly.crashreport.CrashReport
import com.umeng.commonsdk.UMConfigure

data class SdkKeys(
    val umengAppKey: String,
    val channel: String,
    val buglyAppId: String,
    val appsFlyerDevKey: String,
    val debug: Boolean,
)

/**
 * Starts the third-party SDKs listed in the privacy policy. Nothing here runs before the user has
 * agreed: the Application only calls [initAll] when [PrivacyStore.isAgreed], the consent dialog
 * calls it from its "Agree" button, and [initAll] checks again itself.
 */
object SdkBootstrap {

    private lateinit var keys: SdkKeys

    @Volatile
    private var started = false

    /** Stores the keys only; safe to call before consent. */
    fun configure(keys: SdkKeys) {
        this.keys = keys
    }

    @Synchronized
    fun initAll(context: Context) {
        val app = context.applicationContext
        if (!PrivacyStore.isAgreed(app) || started) return
        started = true

        initJPush(app)
        initUmeng(app)
        initBugly(app)
        initAMap(app)
        initAppsFlyer(app)
        FirebaseAnalytics.getInstance(app).setAnalyticsCollectionEnabled(true)
        FirebaseCrashlytics.getInstance().setCrashlyticsCollectionEnabled(true)
    }

    /** Called after the SDKs were switched off from Settings, so a later consent starts them again. */
    @Synchronized
    fun onConsentWithdrawn() {
        started = false
    }

    private fun initJPush(context: Context) {
        JCollectionAuth.setAuth(context, true)
        JCollectionAuth.enableAutoWakeup(context, false) // no waking of / by other apps
        JPushInterface.setLbsEnable(context, false) // push does not need location
        JPushInterface.setDebugMode(keys.debug)
        JPushInterface.init(context)
        // Breaking-news alerts stay off until the user turns them on in Settings.
        if (!FeedSettings.isPushEnabled(context)) JPushInterface.stopPush(context)
    }

    private fun initUmeng(context: Context) {
        UMConfigure.submitPolicyGrantResult(context, true)
        UMConfigure.init(context, keys.umengAppKey, keys.channel, UMConfigure.DEVICE_TYPE_PHONE, "")
    }

    private fun initBugly(context: Context) {
        // Give Bugly our own id and model so it does not read device identifiers itself.
        val strategy = CrashReport.UserStrategy(context).apply {
            setDeviceID(InstallationId.get(context))
            setDeviceModel(Build.MODEL)
            setAppChannel(keys.channel)
        }
        CrashReport.initCrashReport(context, keys.buglyAppId, keys.debug, strategy)
    }

    private fun initAMap(context: Context) {
        AMapLocationClient.updatePrivacyShow(context, true, true)
        AMapLocationClient.updatePrivacyAgree(context, PrivacyStore.isAgreed(context))
    }

    private fun initAppsFlyer(context: Context) {
        AppsFlyerLib.getInstance().apply {
            if (isStopped) stop(false, context) // resumed after an earlier withdrawal
            setCollectAndroidID(false)
            setCollectIMEI(false)
            init(keys.appsFlyerDevKey, null, context)
            start(context)
        }
    }
}
