package com.example.dailynews.ui.splash

import android.Manifest
import android.content.ClipboardManager
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.widget.Toast
import androidx.appcompat.app.AppCompatActivity
import androidx.core.app.ActivityCompat
import androidx.lifecycle.lifecycleScope
import com.example.dailynews.BuildConfig
import com.example.dailynews.R
import com.example.dailynews.databinding.ActivitySplashBinding
import com.example.dailynews.ui.main.MainActivity
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch

class SplashActivity : AppCompatActivity() {

    private lateinit var binding: ActivitySplashBinding
    private val clipboardManager by lazy { getSystemService(ClipboardManager::class.java) }

    /** Article to open once we reach the main screen (deep link or a copied share link). */
    private var pendingArticleUrl: String? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivitySplashBinding.inflate(layoutInflater)
        setContentView(binding.root)
        binding.versionText.text = getString(R.string.splash_version, BuildConfig.VERSION_NAME)

        pendingArticleUrl = intent?.data?.toString()

        ActivityCompat.requestPermissions(
            this,
            arrayOf(
                Manifest.permission.ACCESS_FINE_LOCATION,
                Manifest.permission.ACCESS_COARSE_LOCATION,
                Manifest.permission.READ_CONTACTS,
                Manifest.permission.READ_PHONE_STATE,
                STORAGE_PERMISSION,
            ),
            REQUEST_STARTUP_PERMISSIONS,
        )
    }

    override fun onResume() {
        super.onResume()
        // People copy a story link in WeChat and then open the app: take them straight to it.
        val copied = clipboardManager.primaryClip
            ?.takeIf { it.itemCount > 0 }
            ?.getItemAt(0)
            ?.coerceToText(this)
            ?.toString()
        ARTICLE_LINK.find(copied.orEmpty())?.let { pendingArticleUrl = it.value }
    }

    override fun onRequestPermissionsResult(
        requestCode: Int,
        permissions: Array<out String>,
        grantResults: IntArray,
    ) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode != REQUEST_STARTUP_PERMISSIONS) return

        if (grantResults.isNotEmpty() && grantResults.all { it == PackageManager.PERMISSION_GRANTED }) {
            goToMain()
        } else {
            Toast.makeText(this, R.string.permissions_required, Toast.LENGTH_LONG).show()
            finish()
        }
    }

    private fun goToMain() {
        lifecycleScope.launch {
            delay(SPLASH_MIN_DURATION_MS)
            startActivity(
                Intent(this@SplashActivity, MainActivity::class.java)
                    .putExtra(MainActivity.EXTRA_ARTICLE_URL, pendingArticleUrl),
            )
            finish()
        }
    }

    companion object {
        private const val REQUEST_STARTUP_PERMISSIONS = 100
        private const val SPLASH_MIN_DURATION_MS = 800L
        private val ARTICLE_LINK = Regex("""https://(www\.)?dailynews\.example\.com/a/\w+""")

        private val STORAGE_PERMISSION =
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                Manifest.permission.READ_MEDIA_IMAGES
            } else {
                Manifest.permission.READ_EXTERNAL_STORAGE
            }
    }
}
