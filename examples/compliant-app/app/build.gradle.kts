plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.google.services)
    alias(libs.plugins.firebase.crashlytics)
}

android {
    namespace = "com.example.dailynews"
    compileSdk = 34

    defaultConfig {
        applicationId = "com.example.dailynews"
        minSdk = 24
        targetSdk = 34
        versionCode = 412
        versionName = "4.1.2"

        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"

        buildConfigField("String", "API_BASE_URL", "\"https://api.dailynews.example.com\"")
        buildConfigField("String", "BUGLY_APP_ID", "\"7c1e9a2b3d\"")
        buildConfigField("String", "APPSFLYER_DEV_KEY", "\"kq9Wf2mXcDailyNewsAF\"")
        manifestPlaceholders["AMAP_KEY"] = "3f9c2a7e51d84b06a1c9e2f47b5d8a10"
    }

    flavorDimensions += "market"
    productFlavors {
        create("cn") {
            dimension = "market"
            buildConfigField("String", "UMENG_APP_KEY", "\"65a1f0c2a7208a5af19e3d44\"")
            buildConfigField("String", "UMENG_CHANNEL", "\"official\"")
            manifestPlaceholders += mapOf(
                "JPUSH_PKGNAME" to "com.example.dailynews",
                "JPUSH_APPKEY" to "1b2e7c9d0a4f3e8b6c5d2a19",
                "JPUSH_CHANNEL" to "official",
            )
        }
        create("global") {
            dimension = "market"
            applicationIdSuffix = ".global"
            buildConfigField("String", "UMENG_APP_KEY", "\"65a1f0c2a7208a5af19e3d45\"")
            buildConfigField("String", "UMENG_CHANNEL", "\"google_play\"")
            manifestPlaceholders += mapOf(
                "JPUSH_PKGNAME" to "com.example.dailynews.global",
                "JPUSH_APPKEY" to "1b2e7c9d0a4f3e8b6c5d2a19",
                "JPUSH_CHANNEL" to "google_play",
            )
        }
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(
                getDefaultProguardFile("proguard-android-optimize.txt"),
                "proguard-rules.pro",
            )
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
    buildFeatures {
        viewBinding = true
        buildConfig = true
    }
}

dependencies {
    implementation(project(":core"))
    implementation(project(":analytics"))

    implementation(libs.bundles.androidx.ui)
    implementation(libs.androidx.swiperefreshlayout)
    implementation(libs.androidx.lifecycle.viewmodel.ktx)
    implementation(libs.androidx.lifecycle.livedata.ktx)
    implementation(libs.androidx.lifecycle.runtime.ktx)
    implementation(libs.androidx.startup.runtime)
    implementation(libs.kotlinx.coroutines.android)

    // All SDKs are started by SdkBootstrap (:core) only after the user agrees to the privacy policy.
    implementation(platform(libs.firebase.bom))
    implementation(libs.firebase.analytics)
    implementation(libs.firebase.crashlytics)

    implementation(libs.umeng.common)
    implementation(libs.umeng.asms)
    implementation(libs.bundles.jiguang)
    implementation(libs.bugly.crashreport)
    implementation(libs.amap.location)
    implementation(libs.appsflyer)

    testImplementation(libs.junit)
}
