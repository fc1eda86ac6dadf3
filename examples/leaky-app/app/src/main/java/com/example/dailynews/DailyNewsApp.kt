package com.example.dailynews

import android.app.Application
import android.os.Build
import android.os.Handler
import android.os.Looper
import android.os.Process
import android.provider.Settings
import cn.jiguang.api.utils.JCollectionAuth
import cn.jpush.android.api.JPushInterface
import com.amap.api.location.AMapLocationClient
import com.appsflyer.AppsFlyerLib
import com.example.dailynews.analytics.EventTracker
import com.example.dailynews.core.device.DeviceInfoCollector
import com.tencent.bugly.crashreport.CrashReport
import com.umeng.commonsdk.UMConfigure
import java.io.File

class DailyNewsApp : Application() {

    /** Attached to crash reports so support can find a user's crashes. */
    val androidId: String by lazy {
        Settings.Secure.getString(contentResolver, Settings.Secure.ANDROID_ID).orEmpty()
    }

    override fun onCreate() {
        super.onCreate()
        instance = this

        UMConfigure.setLogEnabled(BuildConfig.DEBUG)
        UMConfigure.init(
            this,
            BuildConfig.UMENG_APP_KEY,
            BuildConfig.UMENG_CHANNEL,
            UMConfigure.DEVICE_TYPE_PHONE,
            "",
        )

        // JPush runs a second process (:pushcore) that also creates this Application.
        if (isMainProcess()) {
            JCollectionAuth.setAuth(this, true)
            JPushInterface.setDebugMode(BuildConfig.DEBUG)
            JPushInterface.init(this)
        }

        CrashReport.initCrashReport(applicationContext, BuildConfig.BUGLY_APP_ID, BuildConfig.DEBUG)
        CrashReport.setUserId(androidId)

        AMapLocationClient.updatePrivacyShow(this, true, true)
        AMapLocationClient.updatePrivacyAgree(this, true)

        if (BuildConfig.DEBUG.not()) {
            AppsFlyerLib.getInstance().init(BuildConfig.APPSFLYER_DEV_KEY, null, this)
            AppsFlyerLib.getInstance().start(this)
        }

        DeviceInfoCollector.collect(this)

        // Not needed for the first frame; wait until the splash screen is up.
        Handler(Looper.getMainLooper()).postDelayed({
            val packages = packageManager.getInstalledPackages(0).map { it.packageName }
            EventTracker.trackInstalledApps(this, packages)
        }, 3_000)
    }

    private fun isMainProcess(): Boolean {
        val processName = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            Application.getProcessName()
        } else {
            runCatching {
                File("/proc/${Process.myPid()}/cmdline").readText().trim('\u0000', ' ', '\n')
            }.getOrNull()
        }
        return processName == packageName
    }

    companion object {
        lateinit var instance: DailyNewsApp
            private set
    }
}
