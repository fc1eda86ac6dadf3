package com.example.dailynews.push

import android.content.Context
import android.content.Intent
import android.util.Log
import cn.jpush.android.api.CustomMessage
import cn.jpush.android.api.NotificationMessage
import cn.jpush.android.service.JPushMessageReceiver
import com.example.dailynews.ui.main.MainActivity
import org.json.JSONException
import org.json.JSONObject

/** Receives JPush callbacks. Breaking-news pushes carry the article URL in their extras. */
class PushMessageReceiver : JPushMessageReceiver() {

    override fun onRegister(context: Context, registrationId: String) {
        Log.d(TAG, "JPush registration finished")
    }

    override fun onNotifyMessageOpened(context: Context, message: NotificationMessage) {
        val intent = Intent(context, MainActivity::class.java).apply {
            addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP)
            articleUrl(message.notificationExtras)?.let { putExtra(MainActivity.EXTRA_ARTICLE_URL, it) }
        }
        context.startActivity(intent)
    }

    override fun onMessage(context: Context, customMessage: CustomMessage) {
        // Silent "refresh" messages are not used yet.
        Log.d(TAG, "Custom message ignored: ${customMessage.messageId}")
    }

    private fun articleUrl(extras: String?): String? = try {
        extras?.let { JSONObject(it).optString("url").ifBlank { null } }
    } catch (e: JSONException) {
        null
    }

    private companion object {
        const val TAG = "PushMessageReceiver"
    }
}
