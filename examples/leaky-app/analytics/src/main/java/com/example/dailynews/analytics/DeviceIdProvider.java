package com.example.dailynews.analytics;

import android.annotation.SuppressLint;
import android.content.Context;
import android.content.SharedPreferences;
import android.os.Build;
import android.telephony.TelephonyManager;
import android.text.TextUtils;

import androidx.annotation.NonNull;

import java.util.UUID;

/**
 * One device id for the API, analytics and crash reports. The IMEI survives reinstalls, so we
 * prefer it and fall back to a generated id where the OS refuses to hand it out.
 */
public final class DeviceIdProvider {

    private static final String PREFS = "dn_device";
    private static final String KEY_DEVICE_ID = "device_id";

    private static volatile String cachedId;

    private DeviceIdProvider() {
    }

    @SuppressLint({"HardwareIds", "MissingPermission"})
    @NonNull
    public static String getDeviceId(@NonNull Context context) {
        if (cachedId != null) {
            return cachedId;
        }
        String id = null;
        TelephonyManager tm = (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
        if (tm != null) {
            try {
                id = Build.VERSION.SDK_INT >= Build.VERSION_CODES.O ? tm.getImei() : tm.getDeviceId();
            } catch (SecurityException e) {
                // Android 10+: only privileged apps may read it.
                id = null;
            }
        }

        SharedPreferences prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE);
        if (TextUtils.isEmpty(id)) {
            id = prefs.getString(KEY_DEVICE_ID, null);
        }
        if (TextUtils.isEmpty(id)) {
            id = UUID.randomUUID().toString();
        }
        prefs.edit().putString(KEY_DEVICE_ID, id).apply();
        cachedId = id;
        return id;
    }
}
