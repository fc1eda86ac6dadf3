package com.example.dailynews.ui.settings

import android.content.Intent
import android.os.Bundle
import android.widget.Toast
import androidx.annotation.StringRes
import androidx.appcompat.app.AppCompatActivity
import androidx.core.view.isVisible
import androidx.lifecycle.lifecycleScope
import cn.jiguang.api.utils.JCollectionAuth
import cn.jpush.android.api.JPushInterface
import com.amap.api.location.AMapLocationClient
import com.appsflyer.AppsFlyerLib
import com.example.dailynews.BuildConfig
import com.example.dailynews.R
import com.example.dailynews.core.account.AccountRepository
import com.example.dailynews.core.id.InstallationId
import com.example.dailynews.core.privacy.PrivacyStore
import com.example.dailynews.core.privacy.SdkBootstrap
import com.example.dailynews.core.settings.FeedSettings
import com.example.dailynews.databinding.ActivitySettingsBinding
import com.example.dailynews.ui.privacy.PolicyActivity
import com.example.dailynews.ui.splash.SplashActivity
import com.google.android.material.dialog.MaterialAlertDialogBuilder
import com.google.firebase.analytics.FirebaseAnalytics
import com.google.firebase.crashlytics.FirebaseCrashlytics
import com.umeng.commonsdk.UMConfigure
import kotlinx.coroutines.launch

class SettingsActivity : AppCompatActivity() {

    private lateinit var binding: ActivitySettingsBinding
    private lateinit var accountRepository: AccountRepository

    private val pushPermission = PushPermissionRequester(this) { granted ->
        if (granted) setPushEnabled(true) else binding.pushSwitch.isChecked = false
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        binding = ActivitySettingsBinding.inflate(layoutInflater)
        setContentView(binding.root)
        supportActionBar?.setDisplayHomeAsUpEnabled(true)
        accountRepository = AccountRepository(this)

        val agreed = PrivacyStore.isAgreed(this)
        binding.personalizedSwitch.isEnabled = agreed
        binding.personalizedSwitch.isChecked = agreed && FeedSettings.isPersonalizedEnabled(this)
        binding.personalizedSwitch.setOnCheckedChangeListener { _, enabled ->
            FeedSettings.setPersonalizedEnabled(this, enabled)
        }

        binding.pushSwitch.isEnabled = agreed
        binding.pushSwitch.isChecked = agreed && FeedSettings.isPushEnabled(this)
        binding.pushSwitch.setOnCheckedChangeListener { _, enabled ->
            if (enabled && PrivacyStore.isAgreed(this)) pushPermission.request() else setPushEnabled(false)
        }

        binding.privacyPolicyItem.setOnClickListener {
            startActivity(PolicyActivity.intent(this, PolicyActivity.DOC_PRIVACY_POLICY))
        }
        binding.withdrawConsentItem.isVisible = agreed
        binding.withdrawConsentItem.setOnClickListener {
            confirm(R.string.settings_withdraw_consent, R.string.settings_withdraw_consent_message,
                R.string.settings_withdraw_confirm, ::withdrawConsent)
        }

        binding.deleteAccountItem.isVisible = accountRepository.isLoggedIn
        binding.deleteAccountItem.setOnClickListener {
            confirm(R.string.settings_delete_account, R.string.settings_delete_account_message,
                R.string.settings_delete_account_confirm, ::deleteAccount)
        }
        binding.logoutButton.isVisible = accountRepository.isLoggedIn
        binding.logoutButton.setOnClickListener {
            accountRepository.logout()
            finish()
        }
        binding.versionText.text = getString(R.string.settings_version, BuildConfig.VERSION_NAME)
    }

    private fun setPushEnabled(enabled: Boolean) {
        if (!PrivacyStore.isAgreed(this)) return
        FeedSettings.setPushEnabled(this, enabled)
        if (enabled) JPushInterface.resumePush(applicationContext) else JPushInterface.stopPush(applicationContext)
    }

    /** 撤回同意: stop every SDK, forget local ids and preferences, and go back to the consent screen. */
    private fun withdrawConsent() {
        val context = applicationContext
        PrivacyStore.setAgreed(context, false)
        JPushInterface.stopPush(context)
        JCollectionAuth.setAuth(context, false)
        UMConfigure.submitPolicyGrantResult(context, false)
        AMapLocationClient.updatePrivacyAgree(context, false)
        AppsFlyerLib.getInstance().stop(true, context)
        FirebaseAnalytics.getInstance(context).setAnalyticsCollectionEnabled(false)
        FirebaseAnalytics.getInstance(context).resetAnalyticsData()
        FirebaseCrashlytics.getInstance().setCrashlyticsCollectionEnabled(false)
        SdkBootstrap.onConsentWithdrawn()
        InstallationId.reset(context)
        FeedSettings.clear(context)

        startActivity(
            Intent(this, SplashActivity::class.java)
                .addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TASK),
        )
    }

    private fun confirm(@StringRes title: Int, @StringRes message: Int, @StringRes confirmLabel: Int, action: () -> Unit) {
        MaterialAlertDialogBuilder(this)
            .setTitle(title)
            .setMessage(message)
            .setPositiveButton(confirmLabel) { _, _ -> action() }
            .setNegativeButton(android.R.string.cancel, null)
            .show()
    }

    private fun deleteAccount() {
        lifecycleScope.launch {
            val deleted = accountRepository.deleteAccount()
            if (deleted) InstallationId.reset(applicationContext)
            val message = if (deleted) R.string.settings_account_deleted else R.string.network_error
            Toast.makeText(this@SettingsActivity, message, Toast.LENGTH_LONG).show()
            if (deleted) finish()
        }
    }

    override fun onSupportNavigateUp(): Boolean {
        finish()
        return true
    }
}
