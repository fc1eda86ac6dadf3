package com.example.dailynews.startup

import android.content.Context
import androidx.core.app.NotificationChannelCompat
import androidx.core.app.NotificationManagerCompat
import androidx.startup.Initializer
import com.example.dailynews.R

/**
 * Creates the notification channels at process start (androidx.startup). Channels are local
 * configuration only; no data is read or sent, and no notification is posted from here.
 */
class NotificationChannelsInitializer : Initializer<Unit> {

    override fun create(context: Context) {
        val breakingNews = NotificationChannelCompat.Builder(
            CHANNEL_BREAKING_NEWS,
            NotificationManagerCompat.IMPORTANCE_HIGH,
        )
            .setName(context.getString(R.string.channel_breaking_news))
            .setDescription(context.getString(R.string.channel_breaking_news_description))
            .build()

        val dailyDigest = NotificationChannelCompat.Builder(
            CHANNEL_DAILY_DIGEST,
            NotificationManagerCompat.IMPORTANCE_DEFAULT,
        )
            .setName(context.getString(R.string.channel_daily_digest))
            .build()

        NotificationManagerCompat.from(context)
            .createNotificationChannelsCompat(listOf(breakingNews, dailyDigest))
    }

    override fun dependencies(): List<Class<out Initializer<*>>> = emptyList()

    companion object {
        const val CHANNEL_BREAKING_NEWS = "breaking_news"
        const val CHANNEL_DAILY_DIGEST = "daily_digest"
    }
}
