package com.example.dailynews.ui.splash

import android.content.Intent
import android.os.Bundle
import androidx.appcompat.app.AppCompatActivity
import com.example.dailynews.BuildConfig
import com.example.dailynews.R
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.databinding.ActivitySplashBinding
import com.example.dailynews.ui.main.MainActivity
import com.example.dailynews.ui.privacy.PrivacyConsentDialog

/**
 * Launcher. Shows the privacy dialog on first launch and whenever the policy version changed;
 * otherwise goes straight to the news.
 */
class SplashActivity : AppCompatActivity(), PrivacyConsentDialog.Listener {

    private lateinit var binding: ActivitySplashBinding

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivitySplashBinding.inflate(layoutInflater)
        setContentView(binding.root)
        binding.versionText.text = getString(R.string.splash_version, BuildConfig.VERSION_NAME)

        val policyUpdated = PrivacyStore.hasOutdatedConsent(this)
        when {
            PrivacyStore.isAgreed(this) -> openMain()
            PrivacyStore.isBasicMode(this) && !policyUpdated -> openMain()
            supportFragmentManager.findFragmentByTag(PrivacyConsentDialog.TAG) == null ->
                PrivacyConsentDialog.newInstance(policyUpdated)
                    .show(supportFragmentManager, PrivacyConsentDialog.TAG)
        }
    }

    /** Called after the dialog stored the answer (and, on "Agree", started the SDKs). */
    override fun onConsentResult(agreed: Boolean) {
        openMain()
    }

    private fun openMain() {
        val main = Intent(this, MainActivity::class.java)
        intent?.data?.let { main.putExtra(MainActivity.EXTRA_ARTICLE_URL, it.toString()) }
        startActivity(main)
        finish()
    }
}
