pluginManagement {
    repositories {
        google {
            content {
                includeGroupByRegex("com\\.android.*")
                includeGroupByRegex("com\\.google.*")
                includeGroupByRegex("androidx.*")
            }
        }
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        // Umeng, JPush, Bugly, AMap and AppsFlyer are all published to Maven Central.
        mavenCentral()
    }
}

rootProject.name = "DailyNews"
include(":app", ":core", ":analytics")
