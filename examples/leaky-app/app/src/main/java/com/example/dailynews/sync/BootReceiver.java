package com.example.dailynews.sync;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.util.Log;

/**
 * Warms the feed cache after a reboot so the morning edition opens instantly.
 */
public class BootReceiver extends BroadcastReceiver {

    private static final String TAG = "BootReceiver";

    @Override
    public void onReceive(Context context, Intent intent) {
        if (!Intent.ACTION_BOOT_COMPLETED.equals(intent.getAction())) {
            return;
        }
        Log.i(TAG, "Boot completed, starting sync");
        Intent sync = new Intent(context, SyncService.class);
        sync.putExtra(SyncService.EXTRA_REASON, "boot");
        context.startService(sync);
    }
}
