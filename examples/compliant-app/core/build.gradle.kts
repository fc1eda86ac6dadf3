plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "com.example.dailynews.core"
    compileSdk = 34

    defaultConfig {
        minSdk = 24
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
}

dependencies {
    implementation(libs.androidx.core.ktx)
    api(libs.kotlinx.coroutines.android)
    implementation(libs.okhttp)

    // SdkBootstrap starts these once consent is recorded.
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
