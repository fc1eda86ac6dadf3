package com.leaky.tracker

import android.location.Location

internal object Uploader {
    fun send(vararg values: Any?) {
        // POST to https://collect.leaky.example/v1/events
    }
}
