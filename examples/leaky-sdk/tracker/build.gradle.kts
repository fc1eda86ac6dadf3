plugins {
    id("com.android.library")
    kotlin("android")
    `maven-publish`
}

android {
    namespace = "com.leaky.tracker"
    compileSdk = 34
    defaultConfig { minSdk = 21 }
}

dependencies {
    implementation("androidx.work:work-runtime-ktx:2.9.0")
}

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "com.leaky"
            artifactId = "tracker"
            version = "2.3.1"
            afterEvaluate { from(components["release"]) }
        }
    }
}
