package com.tidy.tracker;

import android.annotation.SuppressLint;
import android.content.Context;
import android.location.Location;
import android.location.LocationManager;

public final class DeviceInfo {
    private DeviceInfo() {}

    /** Location for the host's "nearby" feature; only after the host passed the user's consent. */
    @SuppressLint("MissingPermission")
    public static Location lastLocation(Context context) {
        if (!Tracker.INSTANCE.isPrivacyAgreed()) {
            return null;
        }
        LocationManager lm = (LocationManager) context.getSystemService(Context.LOCATION_SERVICE);
        return lm.getLastKnownLocation(LocationManager.NETWORK_PROVIDER);
    }
}
