package com.example.dailynews.debug

import android.os.Bundle
import android.widget.Toast
import androidx.appcompat.app.AppCompatActivity
import androidx.core.content.edit
import com.example.dailynews.BuildConfig
import com.example.dailynews.R
import com.example.dailynews.core.id.InstallationId
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.databinding.ActivityDebugMenuBinding

/** Developer screen, only in debug builds: shows build and consent state, switches the API host. */
class DebugMenuActivity : AppCompatActivity() {

    private lateinit var binding: ActivityDebugMenuBinding
    private val prefs by lazy { getSharedPreferences("debug", MODE_PRIVATE) }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivityDebugMenuBinding.inflate(layoutInflater)
        setContentView(binding.root)

        val agreed = PrivacyStore.isAgreed(this)
        binding.buildInfo.text = buildString {
            appendLine("${BuildConfig.APPLICATION_ID} ${BuildConfig.VERSION_NAME} (${BuildConfig.VERSION_CODE})")
            appendLine("flavor=${BuildConfig.FLAVOR} api=${BuildConfig.API_BASE_URL}")
            appendLine("policy v${PrivacyStore.POLICY_VERSION}, agreed=$agreed, basicMode=${PrivacyStore.isBasicMode(this@DebugMenuActivity)}")
            if (agreed) appendLine("installation=${InstallationId.get(this@DebugMenuActivity)}")
        }

        binding.stagingSwitch.isChecked = prefs.getBoolean(KEY_USE_STAGING, false)
        binding.stagingSwitch.setOnCheckedChangeListener { _, checked ->
            prefs.edit { putBoolean(KEY_USE_STAGING, checked) }
            Toast.makeText(this, R.string.debug_restart_needed, Toast.LENGTH_SHORT).show()
        }
    }

    private companion object {
        const val KEY_USE_STAGING = "use_staging"
    }
}
