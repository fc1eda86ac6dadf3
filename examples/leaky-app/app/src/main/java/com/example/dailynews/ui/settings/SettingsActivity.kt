package com.example.dailynews.ui.settings

import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.widget.Toast
import androidx.appcompat.app.AppCompatActivity
import androidx.core.content.edit
import androidx.core.view.isVisible
import androidx.lifecycle.lifecycleScope
import cn.jpush.android.api.JPushInterface
import com.example.dailynews.BuildConfig
import com.example.dailynews.R
import com.example.dailynews.core.account.AccountRepository
import com.example.dailynews.databinding.ActivitySettingsBinding
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

class SettingsActivity : AppCompatActivity() {

    private lateinit var binding: ActivitySettingsBinding
    private lateinit var accountRepository: AccountRepository
    private val prefs by lazy { getSharedPreferences("settings", MODE_PRIVATE) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivitySettingsBinding.inflate(layoutInflater)
        setContentView(binding.root)
        supportActionBar?.setDisplayHomeAsUpEnabled(true)
        accountRepository = AccountRepository(this)

        binding.pushSwitch.isChecked = prefs.getBoolean(KEY_PUSH_ENABLED, true)
        binding.pushSwitch.setOnCheckedChangeListener { _, enabled ->
            prefs.edit { putBoolean(KEY_PUSH_ENABLED, enabled) }
            if (enabled) JPushInterface.resumePush(applicationContext) else JPushInterface.stopPush(applicationContext)
        }

        binding.clearCacheItem.setOnClickListener { clearCache() }
        binding.privacyPolicyItem.setOnClickListener {
            startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(getString(R.string.privacy_policy_url))))
        }
        binding.versionText.text = getString(R.string.settings_version, BuildConfig.VERSION_NAME)

        binding.logoutButton.isVisible = accountRepository.isLoggedIn
        binding.logoutButton.setOnClickListener {
            accountRepository.logout()
            finish()
        }
    }

    private fun clearCache() {
        lifecycleScope.launch {
            withContext(Dispatchers.IO) { cacheDir.deleteRecursively() }
            Toast.makeText(this@SettingsActivity, R.string.settings_cache_cleared, Toast.LENGTH_SHORT).show()
        }
    }

    override fun onSupportNavigateUp(): Boolean {
        finish()
        return true
    }

    private companion object {
        const val KEY_PUSH_ENABLED = "push_enabled"
    }
}
