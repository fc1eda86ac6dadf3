package com.example.dailynews.ui.settings

import android.Manifest
import android.content.pm.PackageManager
import android.os.Build
import android.widget.Toast
import androidx.activity.result.contract.ActivityResultContracts
import androidx.appcompat.app.AppCompatActivity
import androidx.core.content.ContextCompat
import com.example.dailynews.R
import com.example.dailynews.core.permission.PermissionMemory
import com.google.android.material.dialog.MaterialAlertDialogBuilder

/**
 * Android 13+ notification permission for breaking-news alerts: explained first, asked only
 * when the user turns the switch on, and not asked again soon after a refusal.
 *
 * Create it as a property of the activity (it registers an activity-result callback).
 */
class PushPermissionRequester(
    private val activity: AppCompatActivity,
    private val onResult: (granted: Boolean) -> Unit,
) {

    private val launcher =
        activity.registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
            if (granted) {
                PermissionMemory.clearDenial(activity, PERMISSION)
            } else {
                PermissionMemory.recordDenial(activity, PERMISSION)
            }
            onResult(granted)
        }

    fun request() {
        when {
            Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
                ContextCompat.checkSelfPermission(activity, PERMISSION) == PackageManager.PERMISSION_GRANTED ->
                onResult(true)

            !PermissionMemory.mayAsk(activity, PERMISSION) -> {
                Toast.makeText(activity, R.string.settings_push_denied_recently, Toast.LENGTH_LONG).show()
                onResult(false)
            }

            else -> MaterialAlertDialogBuilder(activity)
                .setTitle(R.string.settings_push)
                .setMessage(R.string.permission_purpose_notifications)
                .setPositiveButton(R.string.action_continue) { _, _ -> launcher.launch(PERMISSION) }
                .setNegativeButton(android.R.string.cancel) { _, _ -> onResult(false) }
                .setCancelable(false)
                .show()
        }
    }

    private companion object {
        const val PERMISSION = Manifest.permission.POST_NOTIFICATIONS
    }
}
