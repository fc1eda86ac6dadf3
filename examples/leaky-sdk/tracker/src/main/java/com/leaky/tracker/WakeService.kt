package com.leaky.tracker

import android.app.Service
import android.content.Intent
import android.os.IBinder

/** Other apps that embed the tracker start this service to keep each other alive. */
class WakeService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null
}
