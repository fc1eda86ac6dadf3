package com.example.dailynews.ui.comment

import android.content.Context
import android.net.Uri
import android.util.Log
import com.example.dailynews.BuildConfig
import com.example.dailynews.analytics.EventTracker
import com.example.dailynews.core.account.AccountRepository
import com.example.dailynews.core.news.NewsApi
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import java.io.IOException

/** Posts comments in the background so the comment screen can close right away. */
object CommentUploader {

    private const val TAG = "CommentUploader"
    private const val MAX_PHOTO_BYTES = 8 * 1024 * 1024

    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)

    @JvmStatic
    fun upload(context: Context, articleId: String?, text: String, photo: Uri?) {
        val appContext = context.applicationContext
        if (articleId == null) return
        scope.launch {
            try {
                val bytes = photo?.let { uri ->
                    appContext.contentResolver.openInputStream(uri)?.use { it.readBytes() }
                }?.takeIf { it.size <= MAX_PHOTO_BYTES }
                NewsApi.create(appContext, BuildConfig.API_BASE_URL).postComment(
                    articleId = articleId,
                    text = text,
                    photoJpeg = bytes,
                    authToken = AccountRepository(appContext).token,
                )
                EventTracker.trackCommentPosted(appContext, articleId, bytes != null)
            } catch (e: IOException) {
                Log.w(TAG, "Comment upload failed", e)
            }
        }
    }
}
