package com.example.dailynews.core.account

import android.content.Context
import androidx.core.content.edit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import okhttp3.FormBody
import okhttp3.OkHttpClient
import okhttp3.Request
import org.json.JSONObject
import java.io.IOException

/** Phone-number + SMS-code login against the Daily News account service. */
class AccountRepository(context: Context) {

    fun interface Callback {
        fun onResult(ok: Boolean)
    }

    private val prefs = context.applicationContext.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    val token: String? get() = prefs.getString(KEY_TOKEN, null)
    val isLoggedIn: Boolean get() = token != null

    suspend fun requestCode(phone: String): Boolean =
        post("v1/auth/sms-code", FormBody.Builder().add("phone", phone).build()) != null

    suspend fun login(phone: String, code: String): Boolean {
        val json = post("v1/auth/login", FormBody.Builder().add("phone", phone).add("code", code).build())
        val newToken = json?.optString("token")?.takeIf { it.isNotEmpty() } ?: return false
        prefs.edit { putString(KEY_TOKEN, newToken) }
        return true
    }

    fun logout() {
        prefs.edit { remove(KEY_TOKEN) }
    }

    // Java-friendly wrappers for the login screen.
    fun requestCodeAsync(scope: CoroutineScope, phone: String, callback: Callback) {
        scope.launch { callback.onResult(requestCode(phone)) }
    }

    fun loginAsync(scope: CoroutineScope, phone: String, code: String, callback: Callback) {
        scope.launch { callback.onResult(login(phone, code)) }
    }

    private suspend fun post(path: String, body: FormBody): JSONObject? = withContext(Dispatchers.IO) {
        val request = Request.Builder().url("$BASE_URL/$path").post(body).build()
        try {
            client.newCall(request).execute().use { response ->
                if (response.isSuccessful) JSONObject(response.body?.string().orEmpty()) else null
            }
        } catch (e: IOException) {
            null
        }
    }

    private companion object {
        const val PREFS = "account"
        const val KEY_TOKEN = "token"
        const val BASE_URL = "https://account.dailynews.example.com"
        val client = OkHttpClient()
    }
}
