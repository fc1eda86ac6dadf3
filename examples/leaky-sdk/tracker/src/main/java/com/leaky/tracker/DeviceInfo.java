package com.leaky.tracker;

import android.annotation.SuppressLint;
import android.content.Context;
import android.location.Location;
import android.location.LocationManager;
import android.telephony.TelephonyManager;

public final class DeviceInfo {
    private DeviceInfo() {}

    @SuppressLint("MissingPermission")
    public static void collect(Context context) {
        TelephonyManager tm = (TelephonyManager) context.getSystemService(Context.TELEPHONY_SERVICE);
        String operator = tm.getSimOperator();
        LocationManager lm = (LocationManager) context.getSystemService(Context.LOCATION_SERVICE);
        Location last = lm.getLastKnownLocation(LocationManager.GPS_PROVIDER); // expect: SD602
        Uploader.send(operator, last);
    }
}
