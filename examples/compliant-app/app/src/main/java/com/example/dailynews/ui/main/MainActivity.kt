package com.example.dailynews.ui.main

import android.content.ClipboardManager
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.view.Menu
import android.view.MenuItem
import android.widget.Toast
import androidx.appcompat.app.AppCompatActivity
import androidx.core.view.isVisible
import androidx.fragment.app.commit
import com.example.dailynews.R
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.databinding.ActivityMainBinding
import com.example.dailynews.ui.feed.FeedFragment
import com.example.dailynews.ui.login.LoginActivity
import com.example.dailynews.ui.privacy.PrivacyConsentDialog
import com.example.dailynews.ui.settings.SettingsActivity
import com.example.dailynews.ui.weather.WeatherFragment

class MainActivity : AppCompatActivity(), PrivacyConsentDialog.Listener {

    private lateinit var binding: ActivityMainBinding

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivityMainBinding.inflate(layoutInflater)
        setContentView(binding.root)
        setSupportActionBar(binding.toolbar)

        if (savedInstanceState == null) {
            supportFragmentManager.commit {
                replace(R.id.weather_container, WeatherFragment())
                replace(R.id.feed_container, FeedFragment())
            }
            intent.getStringExtra(EXTRA_ARTICLE_URL)?.let(::openArticle)
        }

        // Only when the user taps the button: no clipboard access otherwise.
        binding.pasteLinkButton.setOnClickListener {
            val clipboard = getSystemService(ClipboardManager::class.java)
            val text = clipboard?.primaryClip
                ?.takeIf { it.itemCount > 0 }
                ?.getItemAt(0)
                ?.coerceToText(this)
                ?.toString()
            val url = text?.let { ARTICLE_LINK.find(it)?.value }
            if (url != null) openArticle(url) else Toast.makeText(this, R.string.paste_link_none, Toast.LENGTH_SHORT).show()
        }

        binding.basicModeBanner.setOnClickListener {
            PrivacyConsentDialog.newInstance(policyUpdated = false)
                .show(supportFragmentManager, PrivacyConsentDialog.TAG)
        }
        renderMode()
    }

    override fun onConsentResult(agreed: Boolean) {
        if (agreed) recreate()
    }

    private fun renderMode() {
        binding.basicModeBanner.isVisible = !PrivacyStore.isAgreed(this)
        invalidateOptionsMenu()
    }

    override fun onCreateOptionsMenu(menu: Menu): Boolean {
        menuInflater.inflate(R.menu.menu_main, menu)
        // Accounts and comments are not part of basic mode.
        menu.findItem(R.id.action_login).isVisible = PrivacyStore.isAgreed(this)
        return true
    }

    override fun onOptionsItemSelected(item: MenuItem): Boolean = when (item.itemId) {
        R.id.action_login -> {
            startActivity(Intent(this, LoginActivity::class.java))
            true
        }
        R.id.action_settings -> {
            startActivity(Intent(this, SettingsActivity::class.java))
            true
        }
        else -> super.onOptionsItemSelected(item)
    }

    fun openArticle(url: String) {
        startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(url)))
    }

    companion object {
        const val EXTRA_ARTICLE_URL = "article_url"
        private val ARTICLE_LINK = Regex("""https://(www\.)?dailynews\.example\.com/a/\w+""")
    }
}
