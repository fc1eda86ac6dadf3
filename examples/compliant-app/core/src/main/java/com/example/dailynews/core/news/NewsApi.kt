package com.example.dailynews.core.news

import android.content.Context
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import okhttp3.Cache
import okhttp3.HttpUrl
import okhttp3.HttpUrl.Companion.toHttpUrl
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.MultipartBody
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject
import java.io.File
import java.io.IOException

class NewsApi private constructor(
    private val baseUrl: HttpUrl,
    private val client: OkHttpClient,
) {

    /**
     * [clientId] is the app's [com.example.dailynews.core.id.InstallationId]; pass it only for a
     * personalised feed. Without it the server returns the editors' ranking.
     */
    suspend fun feed(page: Int, personalized: Boolean, clientId: String?): List<Article> {
        val url = baseUrl.newBuilder()
            .addPathSegments("v2/feed")
            .addQueryParameter("page", page.toString())
            .addQueryParameter("personalized", if (personalized) "1" else "0")
            .apply { clientId?.let { addQueryParameter("cid", it) } }
            .build()
        val items = getJson(Request.Builder().url(url)).getJSONArray("items")
        return List(items.length()) { Article.fromJson(items.getJSONObject(it)) }
    }

    suspend fun weather(city: String): Weather {
        val url = baseUrl.newBuilder()
            .addPathSegments("v1/weather")
            .addQueryParameter("city", city)
            .build()
        return Weather.fromJson(getJson(Request.Builder().url(url)))
    }

    suspend fun postComment(articleId: String, text: String, photoJpeg: ByteArray?, authToken: String?) {
        val body = MultipartBody.Builder().setType(MultipartBody.FORM)
            .addFormDataPart("text", text)
            .apply {
                photoJpeg?.let {
                    addFormDataPart("photo", "photo.jpg", it.toRequestBody("image/jpeg".toMediaType()))
                }
            }
            .build()
        val request = Request.Builder()
            .url(baseUrl.newBuilder().addPathSegments("v1/articles/$articleId/comments").build())
            .post(body)
            .apply { authToken?.let { header("Authorization", "Bearer $it") } }
        getJson(request)
    }

    private suspend fun getJson(builder: Request.Builder): JSONObject = withContext(Dispatchers.IO) {
        client.newCall(builder.build()).execute().use { response ->
            if (!response.isSuccessful) throw IOException("HTTP ${response.code}")
            JSONObject(response.body?.string().orEmpty())
        }
    }

    companion object {
        private const val CACHE_SIZE_BYTES = 20L * 1024 * 1024

        @Volatile
        private var sharedClient: OkHttpClient? = null

        fun create(context: Context, baseUrl: String): NewsApi {
            val client = sharedClient ?: synchronized(this) {
                sharedClient ?: OkHttpClient.Builder()
                    .cache(Cache(File(context.applicationContext.cacheDir, "http"), CACHE_SIZE_BYTES))
                    .build()
                    .also { sharedClient = it }
            }
            return NewsApi(baseUrl.toHttpUrl(), client)
        }
    }
}
