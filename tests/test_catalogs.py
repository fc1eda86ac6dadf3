"""Schema and completeness tests for the reviewed data catalogs (``rules/data/*.toml``)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from pipl_lint.catalogs import (
    API_KINDS,
    CONFIDENCE,
    DATA_FILES,
    Catalog,
    CatalogError,
    load_catalog,
    load_catalog_from,
)

DATA_DIR = Path(str(resources.files("pipl_lint.rules") / "data"))

# Runtime permissions listed in regulations.md §5.1 (AOSP names; the Chinese OEM
# com.android.permission.GET_INSTALLED_APPS is checked separately).
SECTION_5_1_DANGEROUS = {
    "CALENDAR": ["READ_CALENDAR", "WRITE_CALENDAR"],
    "CALL_LOG": ["READ_CALL_LOG", "WRITE_CALL_LOG", "PROCESS_OUTGOING_CALLS"],
    "CAMERA": ["CAMERA"],
    "CONTACTS": ["READ_CONTACTS", "WRITE_CONTACTS", "GET_ACCOUNTS"],
    "LOCATION": ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "ACCESS_BACKGROUND_LOCATION"],
    "STORAGE": ["ACCESS_MEDIA_LOCATION", "READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"],
    "MICROPHONE": ["RECORD_AUDIO"],
    "PHONE": ["READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE", "ANSWER_PHONE_CALLS",
              "com.android.voicemail.permission.ADD_VOICEMAIL", "USE_SIP", "ACCEPT_HANDOVER"],
    "SENSORS": ["BODY_SENSORS", "BODY_SENSORS_BACKGROUND"],
    "ACTIVITY_RECOGNITION": ["ACTIVITY_RECOGNITION"],
    "SMS": ["SEND_SMS", "RECEIVE_SMS", "READ_SMS", "RECEIVE_WAP_PUSH", "RECEIVE_MMS"],
    "READ_MEDIA_VISUAL": ["READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_MEDIA_VISUAL_USER_SELECTED"],
    "READ_MEDIA_AURAL": ["READ_MEDIA_AUDIO"],
    "NEARBY_DEVICES": ["BLUETOOTH_SCAN", "BLUETOOTH_CONNECT", "BLUETOOTH_ADVERTISE", "UWB_RANGING",
                       "NEARBY_WIFI_DEVICES"],
    "NOTIFICATIONS": ["POST_NOTIFICATIONS"],
}

SPECIAL_ACCESS = ["SYSTEM_ALERT_WINDOW", "WRITE_SETTINGS", "MANAGE_EXTERNAL_STORAGE", "REQUEST_INSTALL_PACKAGES",
                  "PACKAGE_USAGE_STATS", "SCHEDULE_EXACT_ALARM"]

NEVER_GRANTABLE = ["READ_PRIVILEGED_PHONE_STATE", "INSTALL_PACKAGES", "DELETE_PACKAGES", "WRITE_SECURE_SETTINGS",
                   "MOUNT_UNMOUNT_FILESYSTEMS", "READ_LOGS", "CHANGE_CONFIGURATION", "MODIFY_PHONE_STATE",
                   "BATTERY_STATS", "CAPTURE_AUDIO_OUTPUT", "STATUS_BAR", "SET_TIME", "REBOOT", "DEVICE_POWER",
                   "MASTER_CLEAR", "READ_FRAME_BUFFER",
                   # signature: the system binds an accessibility service or notification listener with it; the
                   # app names it in `<service android:permission>` and the user grants the access in settings
                   "BIND_ACCESSIBILITY_SERVICE", "BIND_NOTIFICATION_LISTENER_SERVICE"]

COMMON_NORMAL = ["INTERNET", "ACCESS_NETWORK_STATE", "ACCESS_WIFI_STATE", "CHANGE_WIFI_STATE", "WAKE_LOCK", "VIBRATE",
                 "RECEIVE_BOOT_COMPLETED", "FOREGROUND_SERVICE", "FOREGROUND_SERVICE_LOCATION",
                 "FOREGROUND_SERVICE_DATA_SYNC", "USE_BIOMETRIC", "USE_FINGERPRINT", "BLUETOOTH", "BLUETOOTH_ADMIN",
                 "NFC", "REQUEST_IGNORE_BATTERY_OPTIMIZATIONS", "READ_BASIC_PHONE_STATE", "QUERY_ALL_PACKAGES",
                 "USE_EXACT_ALARM", "com.google.android.gms.permission.AD_ID"]

REQUIRED_SDKS = [
    "umeng", "umeng-push", "jpush", "jcore", "jverification", "janalytics", "bugly",
    "amap-location", "amap-map", "amap-search", "amap-navi", "baidu-location", "baidu-map",
    "tencent-location", "tencent-map", "getui", "mobtech", "qq-connect", "pangle-cn", "gdt", "msa-oaid",
    "firebase-analytics", "firebase-crashlytics", "firebase-messaging", "firebase-performance",
    "facebook", "appsflyer", "adjust", "sentry", "google-mobile-ads", "hms-push",
    "xiaomi-push", "oppo-push", "vivo-push", "wechat-opensdk", "alipay", "weibo", "tencent-x5",
    "hms-analytics", "mintegral", "kuaishou-ads", "baidu-mobstat", "shanyan",
    "aliyun-hotfix", "aliyun-push", "aliyun-feedback", "bmob", "easemob-im", "tencent-tpns", "tencent-im",
    "sensorsdata",
]

# (owner simple name, member) pairs that regulations.md §4 and the task brief require in apis.toml.
REQUIRED_APIS = [
    ("TelephonyManager", m) for m in ["getDeviceId", "getImei", "getMeid", "getSubscriberId", "getSimSerialNumber",
                                      "getLine1Number", "getSimOperator", "getNetworkOperator", "getAllCellInfo",
                                      "getCellLocation", "listen"]
] + [
    ("Build", "getSerial"), ("Build", "SERIAL"),
    ("WifiInfo", "getMacAddress"), ("WifiInfo", "getSSID"), ("WifiInfo", "getBSSID"), ("WifiInfo", "getIpAddress"),
    ("WifiManager", "getConnectionInfo"), ("WifiManager", "getScanResults"), ("WifiManager", "startScan"),
    ("WifiManager", "getConfiguredNetworks"), ("WifiManager", "getDhcpInfo"), ("WifiManager", "setWifiEnabled"),
    ("NetworkInterface", "getHardwareAddress"),
    ("BluetoothAdapter", "getAddress"), ("BluetoothAdapter", "startDiscovery"),
    ("BluetoothAdapter", "getBondedDevices"), ("BluetoothAdapter", "enable"), ("BluetoothLeScanner", "startScan"),
    ("Settings.Secure", "getString"), ("Settings.System", "getString"),
    ("AdvertisingIdClient", "getAdvertisingIdInfo"), ("MdidSdkHelper", "InitSdk"), ("IdSupplier", "getOAID"),
    ("PackageManager", "getInstalledPackages"), ("PackageManager", "getInstalledApplications"),
    ("PackageManager", "queryIntentActivities"),
    ("ActivityManager", "getRunningAppProcesses"), ("ActivityManager", "getRunningTasks"),
    ("ActivityManager", "getRecentTasks"), ("UsageStatsManager", "queryUsageStats"),
    ("ClipboardManager", "getPrimaryClip"), ("ClipboardManager", "getPrimaryClipDescription"),
    ("ClipboardManager", "getText"), ("ClipboardManager", "hasPrimaryClip"),
    ("LocationManager", "getLastKnownLocation"), ("LocationManager", "requestLocationUpdates"),
    ("LocationManager", "requestSingleUpdate"), ("LocationManager", "getCurrentLocation"),
    ("FusedLocationProviderClient", "getLastLocation"), ("FusedLocationProviderClient", "getCurrentLocation"),
    ("FusedLocationProviderClient", "requestLocationUpdates"),
    ("AMapLocationClient", "startLocation"), ("LocationClient", "start"),
    ("TencentLocationManager", "requestLocationUpdates"), ("TencentLocationManager", "requestSingleFreshLocation"),
    ("ContactsContract.Contacts", "ContactsContract.Contacts.CONTENT_URI"),
    ("ContactsContract.CommonDataKinds.Phone", "ContactsContract.CommonDataKinds.Phone.CONTENT_URI"),
    ("CallLog.Calls", "CallLog.Calls.CONTENT_URI"), ("Telephony.Sms", "Telephony.Sms.CONTENT_URI"),
    ("CalendarContract.Events", "CalendarContract.Events.CONTENT_URI"),
    ("MediaStore.Images.Media", "MediaStore.Images.Media.EXTERNAL_CONTENT_URI"),
    ("MediaStore.Video.Media", "MediaStore.Video.Media.EXTERNAL_CONTENT_URI"),
    ("MediaStore.Audio.Media", "MediaStore.Audio.Media.EXTERNAL_CONTENT_URI"),
    ("String", "content://sms"), ("String", "content://call_log"), ("String", "content://contacts"),
    ("AccountManager", "getAccounts"), ("AccountManager", "getAccountsByType"), ("SmsManager", "sendTextMessage"),
    ("Camera", "open"), ("CameraManager", "openCamera"), ("ProcessCameraProvider", "bindToLifecycle"),
    ("AudioRecord", "startRecording"), ("MediaRecorder", "setAudioSource"), ("SpeechRecognizer", "startListening"),
    ("SensorManager", "registerListener"), ("SensorManager", "getSensorList"), ("SensorManager", "getDefaultSensor"),
    ("Environment", "getExternalStorageDirectory"), ("ExifInterface", "getLatLong"),
    ("SubscriptionInfo", "getNumber"), ("ContentResolver", "insert"), ("WallpaperManager", "getDrawable"),
    ("WallpaperManager", "peekDrawable"), ("NotificationManager", "notify"), ("NotificationManagerCompat", "notify"),
    ("Intent", "ACTION_CALL"), ("MediaStore", "ACTION_IMAGE_CAPTURE"), ("Vibrator", "vibrate"),
    ("ConnectivityManager", "getActiveNetworkInfo"), ("PowerManager", "newWakeLock"),
    ("NotificationManager", "notify"), ("BiometricPrompt", "authenticate"), ("AlarmManager", "setExact"),
    ("AlarmManager", "setExactAndAllowWhileIdle"), ("PackageInstaller", "createSession"),
    ("Intent", "ACTION_INSTALL_PACKAGE"), ("TelecomManager", "placeCall"),
]

# Names the brief calls generic: they must never match on the member name alone.
GENERIC_MEMBERS = {"getText", "getAddress", "start", "open", "getString", "query", "notify", "enable", "getName",
                   "init", "listen", "vibrate", "authenticate", "acquire", "startScan", "registerListener",
                   "requestLocationUpdates", "getCurrentLocation", "getLastLocation"}

NO_PI_TYPES = {21, *range(27, 39)}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _permission_name(short_or_full: str) -> str:
    return short_or_full if "." in short_or_full else "android.permission." + short_or_full


# ---------------------------------------------------------------------------------------- loading


def test_catalog_loads_and_is_cached(catalog: Catalog) -> None:
    assert load_catalog() is catalog
    assert len(catalog.pi_kinds) >= 26
    assert len(catalog.apis) >= 120
    assert len(catalog.sdks) >= 30
    assert len(catalog.permissions) >= 110
    assert len(catalog.app_types) == 39


def test_fingerprint_is_stable_and_tracks_bytes(catalog: Catalog, tmp_path: Path) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", catalog.fingerprint())
    copy = _copy_data(tmp_path)
    assert load_catalog_from(copy).fingerprint() == catalog.fingerprint()
    with (copy / "pi_kinds.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the bytes\n")
    assert load_catalog_from(copy).fingerprint() != catalog.fingerprint()


def test_every_entry_has_source_and_confidence(catalog: Catalog) -> None:
    records = [*catalog.apis, *catalog.sdks, *catalog.permissions.values(), *catalog.app_types]
    for record in records:
        assert record.source.strip(), record
        assert record.confidence in CONFIDENCE, record


def test_data_files_start_with_a_header() -> None:
    for name in DATA_FILES:
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        head = [line for line in lines[: lines.index("")] if line.startswith("#")]
        text = "\n".join(head)
        assert head[0].startswith(f"# {name}"), name
        for word in ("Sources", "Coverage", "To add", "Confidence"):
            assert word.lower() in text.lower(), (name, word)


# ---------------------------------------------------------------------------------------- PI kinds


def test_required_pi_kinds(catalog: Catalog) -> None:
    required = {"device-id", "mac-address", "android-id", "advertising-id", "installed-apps", "running-apps",
                "app-usage", "clipboard", "location", "wifi-info", "bluetooth", "cell-info", "ip-address", "carrier",
                "contacts", "call-log", "sms", "calendar", "accounts", "phone-number", "camera", "microphone",
                "sensors", "media", "device-model", "phone-state"}
    assert required <= set(catalog.pi_kinds)
    assert catalog.pi_kinds["location"].sensitive
    assert not catalog.pi_kinds["device-model"].sensitive
    for kind in catalog.pi_kinds.values():
        assert kind.label_en and kind.label_zh and kind.description_en


# ---------------------------------------------------------------------------------------- APIs


def test_api_references_exist(catalog: Catalog) -> None:
    for api in catalog.apis:
        assert api.kind in API_KINDS
        assert api.pi_kind is None or api.pi_kind in catalog.pi_kinds, api.id
        for name in api.permissions:
            assert name in catalog.permissions, (api.id, name)
        assert api.permissions or api.pi_kind or api.notes, f"{api.id} says nothing"


# Dangerous permissions that no API can use: Android stopped defining them after API 8.
UNUSABLE_DANGEROUS = frozenset({"android.permission.READ_OWNER_DATA", "android.permission.WRITE_OWNER_DATA"})


def test_every_dangerous_permission_has_a_mapped_use(catalog: Catalog) -> None:
    """Otherwise `permission-declared-unused` would call every declaration of it unused (issue 15 item 2)."""
    mapped = {p for api in catalog.apis for p in api.permissions}
    mapped |= {p for sdk in catalog.sdks for p in sdk.permissions}
    missing = sorted(name for name, perm in catalog.permissions.items()
                     if perm.dangerous and name not in mapped and name not in UNUSABLE_DANGEROUS)
    assert missing == [], "give each an API, intent, URI or SDK entry in apis.toml / sdks.toml"
    for name in UNUSABLE_DANGEROUS:
        alternative = catalog.permissions[name].alternative
        assert "API 8" in alternative, name


@pytest.mark.parametrize(("owner_simple", "member"), REQUIRED_APIS)
def test_required_api_is_catalogued(catalog: Catalog, owner_simple: str, member: str) -> None:
    found = [a for a in catalog.apis if a.member == member and a.owner_simple.endswith(owner_simple)]
    assert found, f"{owner_simple}.{member} missing from apis.toml"


def test_generic_member_names_need_owner_match(catalog: Catalog) -> None:
    offenders = [a.id for a in catalog.apis if a.member in GENERIC_MEMBERS and a.match != "owner"]
    assert offenders == []


def test_android_id_entry(catalog: Catalog) -> None:
    (secure,) = [a for a in catalog.apis if a.owner == "android.provider.Settings.Secure" and a.member == "getString"]
    assert secure.owner_simple == "Settings.Secure"
    assert secure.match == "owner"
    assert set(secure.args_contain) >= {"ANDROID_ID", "android_id"}
    assert secure.pi_kind == "android-id"


def test_image_capture_needs_no_permission(catalog: Catalog) -> None:
    capture = [a for a in catalog.apis_by_member["ACTION_IMAGE_CAPTURE"] if a.owner_simple == "MediaStore"]
    assert capture and capture[0].permissions == () and capture[0].notes


def test_apis_by_member_index(catalog: Catalog) -> None:
    assert sum(len(v) for v in catalog.apis_by_member.values()) == len(catalog.apis)
    uri_owners = {a.owner_simple for a in catalog.apis_by_member["CONTENT_URI"]}
    assert {"ContactsContract.Contacts", "CallLog.Calls", "Telephony.Sms"} <= uri_owners
    assert catalog.apis_by_member["content://sms"][0].kind == "string"
    assert {a.owner_simple for a in catalog.apis_by_member["getDeviceId"]} == {"TelephonyManager"}


# ---------------------------------------------------------------------------------------- SDKs


def test_required_sdks_exist(catalog: Catalog) -> None:
    ids = {sdk.id for sdk in catalog.sdks}
    assert sorted(set(REQUIRED_SDKS) - ids) == []
    with pytest.raises(KeyError):
        catalog.sdk("no-such-sdk")


def test_every_sdk_can_be_started_or_switched(catalog: Catalog) -> None:
    for sdk in catalog.sdks:
        assert sdk.init or sdk.autoinit_providers or sdk.manifest_flags, sdk.id
        assert sdk.coordinates or sdk.jar_patterns or sdk.packages, sdk.id
        assert sdk.fix.strip(), sdk.id


def test_sdk_references_exist(catalog: Catalog) -> None:
    for sdk in catalog.sdks:
        for kind in sdk.pi_kinds:
            assert kind in catalog.pi_kinds, (sdk.id, kind)
        for name in sdk.permissions + sdk.merged_permissions:
            assert name in catalog.permissions, (sdk.id, name)
        flags = {flag.name for flag in sdk.manifest_flags}
        for provider in sdk.autoinit_providers:
            assert set(provider.disabled_by) <= flags, (sdk.id, provider.name)


def test_agree_calls_have_arg(catalog: Catalog) -> None:
    for sdk in catalog.sdks:
        for call in sdk.agree:
            assert call.arg is not None, (sdk.id, call.method)
        for call in (*sdk.disable, *sdk.wakeup):
            assert call.value is None or call.arg is not None, (sdk.id, call.method)


def test_sdk_call_owners_are_qualified(catalog: Catalog) -> None:
    for sdk in catalog.sdks:
        for role, call in sdk.calls():
            assert "." in call.owner and call.owner.endswith(call.owner_simple), (sdk.id, role, call)


def test_sdk_calls_by_method_index(catalog: Catalog) -> None:
    agree = {(sdk.id, role) for sdk, role, _ in catalog.sdk_calls_by_method["updatePrivacyAgree"]}
    assert {(i, "agree") for i in ("amap-location", "amap-map", "amap-search", "amap-navi")} <= agree
    roles = {role for _, role, _ in catalog.sdk_calls_by_method["preInit"]}
    assert "preinit" in roles
    total = sum(len(sdk.init + sdk.preinit + sdk.agree + sdk.disable + sdk.wakeup) for sdk in catalog.sdks)
    assert sum(len(v) for v in catalog.sdk_calls_by_method.values()) == total


def test_amap_products_each_have_privacy_calls(catalog: Catalog) -> None:
    expected = {"amap-location": "AMapLocationClient", "amap-map": "MapsInitializer",
                "amap-search": "ServiceSettings", "amap-navi": "NaviSetting"}
    for sdk_id, owner in expected.items():
        sdk = catalog.sdk(sdk_id)
        assert any(c.owner_simple == owner and c.method == "updatePrivacyAgree" and c.arg == 1 for c in sdk.agree)
        assert any(c.owner_simple == owner and c.method == "updatePrivacyShow" for c in sdk.preinit)


def test_key_sdk_facts(catalog: Catalog) -> None:
    umeng = catalog.sdk("umeng")
    assert umeng.preinit[0].method == "preInit"
    assert any(c.method == "submitPolicyGrantResult" and c.arg == 1 for c in umeng.agree)

    jpush = catalog.sdk("jpush")
    assert any(c.method == "enableAutoWakeup" and c.value == "false" for c in jpush.wakeup)

    for firebase_id in ("firebase-analytics", "firebase-crashlytics", "firebase-messaging", "firebase-performance"):
        providers = {p.name for p in catalog.sdk(firebase_id).autoinit_providers}
        assert "com.google.firebase.provider.FirebaseInitProvider" in providers, firebase_id

    facebook = catalog.sdk("facebook")
    assert {f.name for f in facebook.manifest_flags} >= {
        "com.facebook.sdk.AutoInitEnabled", "com.facebook.sdk.AutoLogAppEventsEnabled",
        "com.facebook.sdk.AdvertiserIDCollectionEnabled"}
    assert {p.name for p in facebook.autoinit_providers} == {"com.facebook.internal.FacebookInitProvider"}

    sentry = catalog.sdk("sentry")
    flags = {f.name: f for f in sentry.manifest_flags}
    assert flags["io.sentry.auto-init"].safe == "false"
    assert flags["io.sentry.send-default-pii"].safe == "false"
    assert {p.name for p in sentry.autoinit_providers} == {
        "io.sentry.android.core.SentryInitProvider", "io.sentry.android.core.SentryPerformanceProvider"}

    gma = catalog.sdk("google-mobile-ads")
    assert not any("DELAY_APP_MEASUREMENT_INIT" in f.name for f in gma.manifest_flags)
    assert {p.name for p in gma.autoinit_providers} == {"com.google.android.gms.ads.MobileAdsInitProvider"}

    hms = catalog.sdk("hms-push")
    assert {f.name: f.safe for f in hms.manifest_flags} == {"push_kit_auto_init_enabled": "false"}
    assert any(c.method == "getToken" for c in hms.init)

    adjust = {c.method for c in catalog.sdk("adjust").init}
    assert {"onCreate", "initSdk"} <= adjust

    assert all(catalog.sdk(i).personalized_ads for i in ("pangle-cn", "gdt", "google-mobile-ads"))


def test_sdk_for_coordinate(catalog: Catalog) -> None:
    def find(group: str, artifact: str | None) -> str | None:
        sdk = catalog.sdk_for_coordinate(group, artifact)
        return sdk.id if sdk else None

    assert find("com.umeng.umsdk", "common") == "umeng"
    assert find("com.umeng.umsdk", "push") == "umeng-push"
    assert find("com.umeng.umsdk", "xiaomi-push") == "xiaomi-push"
    assert find("com.google.firebase", "firebase-analytics") == "firebase-analytics"
    assert find("com.google.firebase", "firebase-messaging") == "firebase-messaging"
    assert find("com.google.firebase", "firebase-bom") is None
    assert find("com.google.firebase", None) is None
    assert find("com.baidu.lbsyun", "BaiduMapSDK_Location_All") == "baidu-location"
    assert find("com.baidu.lbsyun", "BaiduMapSDK_Map") == "baidu-map"
    assert find("cn.jiguang.sdk", "jcore") == "jcore"
    assert find("com.facebook.android", None) == "facebook"
    assert find("androidx.core", "core-ktx") is None
    assert catalog.sdk("umeng").matches_coordinate("com.umeng.umsdk", "asms")


def test_sdk_for_jar(catalog: Catalog) -> None:
    assert catalog.sdk_for_jar("app/libs/AMap_Location_V6.4.0_20230808.jar").id == "amap-location"
    assert catalog.sdk_for_jar("libs/open_sdk_3.5.14.3_rc26220c_lite.jar").id == "qq-connect"
    assert catalog.sdk_for_jar("libs/oaid_sdk_1.0.25.aar").id == "msa-oaid"
    assert catalog.sdk_for_jar("libs/unrelated.jar") is None
    assert catalog.sdk("bugly").matches_jar("BUGLY_CRASH_4.1.jar")


# ---------------------------------------------------------------------------------------- permissions


@pytest.mark.parametrize(("group", "name"), [(g, n) for g, names in SECTION_5_1_DANGEROUS.items() for n in names])
def test_section_5_1_dangerous_permissions(catalog: Catalog, group: str, name: str) -> None:
    permission = catalog.permission(name)
    assert permission is not None, name
    assert permission.protection == "dangerous" and permission.dangerous
    assert permission.group == group


def test_permission_categories(catalog: Catalog) -> None:
    for name in SPECIAL_ACCESS:
        assert catalog.permission(name).protection == "special", name
    for name in NEVER_GRANTABLE:
        permission = catalog.permission(name)
        assert permission.never_grantable and permission.protection in ("signature", "privileged"), name
    for name in COMMON_NORMAL:
        assert catalog.permission(name).protection == "normal", name
    app_list = catalog.permission("com.android.permission.GET_INSTALLED_APPS")
    assert app_list is not None and "cn-app-list" in app_list.restricted


def test_permission_lookup(catalog: Catalog) -> None:
    short = catalog.permission("READ_PHONE_STATE")
    assert short is not None and short is catalog.permission("android.permission.READ_PHONE_STATE")
    assert short.short == "READ_PHONE_STATE" and short.pi_kind == "phone-state"
    assert catalog.permission("READ_PHONE_STATUS") is None
    assert catalog.permission("android.permission.NOT_A_PERMISSION") is None


def test_permission_details(catalog: Catalog) -> None:
    assert catalog.permission("WRITE_EXTERNAL_STORAGE").legacy_max_sdk in (28, 29)
    assert catalog.permission("READ_EXTERNAL_STORAGE").legacy_max_sdk == 32
    assert catalog.permission("BLUETOOTH").legacy_max_sdk == 30
    assert catalog.permission("BLUETOOTH_ADMIN").legacy_max_sdk == 30
    assert "play-sms-calllog" in catalog.permission("READ_SMS").restricted
    assert "play-background-location" in catalog.permission("ACCESS_BACKGROUND_LOCATION").restricted
    assert "play-package-visibility" in catalog.permission("QUERY_ALL_PACKAGES").restricted
    for permission in catalog.permissions.values():
        assert permission.pi_kind is None or permission.pi_kind in catalog.pi_kinds, permission.name
        assert permission.short == permission.name.rsplit(".", 1)[-1]


# ---------------------------------------------------------------------------------------- app types


def test_thirty_nine_app_types(catalog: Catalog) -> None:
    types = catalog.app_types
    assert [t.number for t in types] == list(range(1, 40))
    for attr in ("key", "name_zh", "name_en"):
        values = [getattr(t, attr) for t in types]
        assert len(set(values)) == 39, attr
    assert all(t.name_zh.endswith("类") for t in types)


def test_no_pi_app_types(catalog: Catalog) -> None:
    empty = {t.number for t in catalog.app_types if not t.necessary_pi_zh}
    assert empty == NO_PI_TYPES
    assert len(empty) == 13


def test_necessary_pi_kinds(catalog: Catalog) -> None:
    with_location = {t.number for t in catalog.app_types if t.necessary_pi_kinds}
    assert with_location == {1, 2, 22}
    assert all(t.necessary_pi_kinds == ("location",) for t in catalog.app_types if t.number in with_location)


def test_verified_corrections(catalog: Catalog) -> None:
    assert catalog.app_type(14).basic_function_zh == "二手车买卖信息交换"
    assert catalog.app_type(22).basic_function_zh == "共享单车、共享汽车、租赁汽车等服务"
    row_39 = "".join(catalog.app_type(39).necessary_pi_zh)
    assert "观演场次" in row_39 and "证件" not in row_39


def test_app_type_lookup(catalog: Catalog) -> None:
    news = catalog.app_type(30)
    assert news is not None and news.key == "news"
    assert catalog.app_type("news") is news
    assert catalog.app_type("新闻资讯类") is news
    assert catalog.app_type("新闻资讯") is news
    assert catalog.app_type("NEWS") is news
    assert catalog.app_type("30") is news
    assert catalog.app_type(40) is None
    assert catalog.app_type("no such type") is None


# ---------------------------------------------------------------------------------------- validation


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in DATA_FILES:
        shutil.copyfile(DATA_DIR / name, target / name)
    return target


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    """Replace the first occurrence of ``old`` in a data file."""

    def apply(directory: Path) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found in {name}: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _set_key(name: str, entry: str, key: str, raw_value: str | None) -> Callable[[Path], None]:
    """Set (or with ``None`` delete) ``key`` in the entry whose ``id``/``key``/``name`` is ``entry``."""

    def apply(directory: Path) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        found = re.search(rf'^(?:id|key|name) = "{re.escape(entry)}"$', text, re.M)
        assert found, f"entry {entry!r} not found in {name}"
        begin = text.rfind("\n[[", 0, found.start()) + 1
        end = text.find("\n[[", found.end())
        end = len(text) if end == -1 else end
        block = text[begin:end]
        line = re.compile(rf"^{re.escape(key)} = .*$", re.M)
        assert line.search(block), f"{entry!r} has no key {key!r}"
        block = line.sub("" if raw_value is None else f"{key} = {raw_value}", block, count=1)
        path.write_text(text[:begin] + block + text[end:], encoding="utf-8")

    return apply


def _append(name: str, text: str) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        with (directory / name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return apply


CORRUPTIONS = {
    "unknown-key": (_edit("sdks.toml", 'id = "bugly"\n', 'id = "bugly"\ncolour = "red"\n'),
                    "sdks.toml", "bugly", "unknown key"),
    "wrong-type": (_set_key("apis.toml", "telephony-get-imei", "permissions", '"android.permission.READ_PHONE_STATE"'),
                   "apis.toml", "telephony-get-imei", "must be a list of strings"),
    "wrong-scalar-type": (_set_key("permissions.toml", "android.permission.CAMERA", "added_api", '"1"'),
                          "permissions.toml", "android.permission.CAMERA", "'added_api' must be an integer"),
    "missing-key": (_set_key("pi_kinds.toml", "clipboard", "label_en", None),
                    "pi_kinds.toml", "clipboard", "missing required key 'label_en'"),
    "bad-enum": (_set_key("sdks.toml", "sentry", "category", '"telemetry"'), "sdks.toml", "sentry", "'category'"),
    "bad-confidence": (_set_key("app_types.toml", "news", "confidence", '"maybe"'),
                       "app_types.toml", "news", "'confidence' = 'maybe' is not one of"),
    "duplicate-id": (_append("apis.toml", '\n[[api]]\nid = "telephony-get-imei"\nowner = "a.B"\nmember = "c"\n'
                                          'kind = "method"\nmatch = "owner"\nnotes = "dup"\nsource = "test"\n'
                                          'confidence = "M"\n'),
                     "apis.toml", "telephony-get-imei", "duplicate id"),
    "unknown-pi-kind": (_set_key("apis.toml", "clipboard-get-primary-clip", "pi_kind", '"clipboard-history"'),
                        "apis.toml", "clipboard-get-primary-clip",
                        "pi_kind 'clipboard-history' is not in pi_kinds.toml"),
    "uncatalogued-permission": (_set_key("sdks.toml", "umeng", "permissions", '["android.permission.READ_PHONE_STAT"]'),
                                "sdks.toml", "umeng", "is not in permissions.toml"),
    "agree-without-arg": (_edit("sdks.toml", 'method = "submitPolicyGrantResult"\narg = 1\n',
                                'method = "submitPolicyGrantResult"\n'),
                          "sdks.toml", "umeng [agree #1]", "needs 'arg'"),
    "bad-app-type-number": (_set_key("app_types.toml", "performance-ticketing", "number", "40"),
                            "app_types.toml", "performance-ticketing", "'number' = 40 is out of range"),
    "syntax-error": (_append("permissions.toml", "\n[[permission]\nname = \n"),
                     "permissions.toml", "-", "cannot be parsed"),
}


@pytest.fixture(scope="module")
def corrupted_problems(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Apply every corruption except the syntax error to one copy and load it once."""
    directory = _copy_data(tmp_path_factory.mktemp("corrupted"))
    for case, (corrupt, *_) in CORRUPTIONS.items():
        if case != "syntax-error":
            corrupt(directory)
    with pytest.raises(CatalogError) as raised:
        load_catalog_from(directory)
    assert str(raised.value).splitlines() == list(raised.value.problems)
    return raised.value.problems


@pytest.mark.parametrize("case", sorted(set(CORRUPTIONS) - {"syntax-error"}))
def test_corrupted_entry_is_reported(corrupted_problems: tuple[str, ...], case: str) -> None:
    _, file, entry, problem = CORRUPTIONS[case]
    expected_prefix = f"{file}: {entry}: "
    matching = [line for line in corrupted_problems if line.startswith(expected_prefix)]
    assert matching, f"no problem for {expected_prefix!r} in {corrupted_problems}"
    assert any(problem in line for line in matching), matching


def test_problems_from_all_files_are_reported_together(corrupted_problems: tuple[str, ...]) -> None:
    files = {line.split(":", 1)[0] for line in corrupted_problems}
    assert files == {"sdks.toml", "apis.toml", "app_types.toml", "pi_kinds.toml", "permissions.toml"}


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    corrupt, file, entry, problem = CORRUPTIONS["syntax-error"]
    directory = _copy_data(tmp_path)
    corrupt(directory)
    with pytest.raises(CatalogError) as raised:
        load_catalog_from(directory)
    assert any(line.startswith(f"{file}: {entry}: {problem}") for line in raised.value.problems)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    (directory / "sdks.toml").unlink()
    with pytest.raises(CatalogError, match=r"sdks\.toml: -: file is missing"):
        load_catalog_from(directory)
    with pytest.raises(CatalogError, match="not a directory"):
        load_catalog_from(directory / "apis.toml")


def test_vendor_split_init_sdks(catalog: Catalog) -> None:
    """Alibaba Cloud EMAS SDKs allow a local set-up call before consent and name the one that must wait
    (help.aliyun.com compliance pages): the set-up is `preinit`, the network call `init`."""
    expected = {
        "aliyun-hotfix": ("SophixManager", "initialize", "queryAndLoadNewPatch"),
        "aliyun-push": ("PushServiceFactory", "init", "register"),
        "aliyun-feedback": ("FeedbackAPI", "init", "openFeedbackActivity"),
        "aliyun-httpdns": ("HttpDns", "init", "getService"),
    }
    for sdk_id, (owner, preinit, init) in expected.items():
        sdk = catalog.sdk(sdk_id)
        assert [(c.owner_simple, c.method) for c in sdk.preinit] == [(owner, preinit)], sdk_id
        assert init in {c.method for c in sdk.init}, sdk_id
        assert sdk.confidence == "V" and "help.aliyun.com" in sdk.source, sdk_id
    assert catalog.sdk_for_coordinate("com.aliyun.ams", "alicloud-android-hotfix").id == "aliyun-hotfix"
    assert catalog.sdk_for_coordinate("com.aliyun.ams", "alicloud-android-utdid") is None


def test_new_sdks_are_recognised(catalog: Catalog) -> None:
    assert catalog.sdk_for_coordinate("cn.bmob.android", "bmob-sdk").id == "bmob"
    assert catalog.sdk_for_coordinate("io.github.bmob", "android-sdk").id == "bmob"
    assert catalog.sdk_for_coordinate("io.hyphenate", "hyphenate-chat").id == "easemob-im"
    assert catalog.sdk_for_coordinate("com.tencent.tpns", "tpns").id == "tencent-tpns"
    assert catalog.sdk_for_coordinate("com.aliyun.ams", "alicloud-android-push").id == "aliyun-push"
    assert catalog.sdk_for_jar("libs/hyphenatechat_3.3.2.jar").id == "easemob-im"
    assert catalog.sdk_for_coordinate("com.tencent.imsdk", "imsdk-plus").id == "tencent-im"
    assert catalog.sdk_for_coordinate("com.sensorsdata.analytics.android", "SensorsAnalyticsSDK").id == "sensorsdata"
    assert catalog.sdk("bmob").init[0].owner == "cn.bmob.v3.Bmob"
    for sdk_id in ("bmob", "easemob-im", "tencent-tpns"):
        sdk = catalog.sdk(sdk_id)
        # partly verified: the source must say what was not read
        assert sdk.confidence == "P" and "[M]" in sdk.source, sdk_id


# (id, a Maven group:artifact of the SDK, a jar/aar name or None, an init call as (owner simple name, method))
CATALOG_2_SDKS = [
    ("jmessage", "cn.jiguang.sdk:jmessage", "libs/jmessage-android-2.9.2.jar", ("JMessageClient", "init")),
    ("topon", "com.anythink.sdk:core-tpn", None, ("ATSDK", "init")),
    ("dcloud-unimp", "io.dcloud:unimp", "libs/uniMPSDK-V2-release.aar", ("DCUniMPSDK", "initialize")),
    ("bughd", "im.fir:fir-sdk", None, ("FIR", "init")),
    ("datadog", "com.datadoghq:dd-sdk-android-rum", None, ("Datadog", "initialize")),
    ("amplitude", "com.amplitude:android-sdk", None, ("Amplitude", "initialize")),
    ("amplitude", "com.amplitude:analytics-android", None, ("Amplitude", "Amplitude")),
    ("segment", "com.segment.analytics.android:analytics", None, ("Analytics", "setSingletonInstance")),
    ("segment", "com.segment.analytics.kotlin:android", None, ("Analytics", "Analytics")),
    ("mixpanel", "com.mixpanel.android:mixpanel-android", None, ("MixpanelAPI", "getInstance")),
    ("onesignal", "com.onesignal:OneSignal", None, ("OneSignal", "initWithContext")),
    ("branch", "io.branch.sdk.android:library", None, ("Branch", "getAutoInstance")),
    ("bugsnag", "com.bugsnag:bugsnag-android", None, ("Bugsnag", "start")),
    ("posthog", "com.posthog:posthog-android", None, ("PostHogAndroid", "setup")),
    ("matomo", "com.github.matomo-org:matomo-sdk-android", None, ("TrackerBuilder", "createDefault")),
    ("matomo", "org.matomo.sdk:tracker", None, ("TrackHelper", "track")),
    ("appcenter", "com.microsoft.appcenter:appcenter-analytics", None, ("AppCenter", "start")),
    ("newrelic", "com.newrelic.agent.android:android-agent", None, ("NewRelic", "start")),
    ("applovin", "com.applovin:applovin-sdk", None, ("AppLovinSdk", "initializeSdk")),
    ("unity-ads", "com.unity3d.ads:unity-ads", None, ("UnityAds", "initialize")),
    ("ironsource", "com.ironsource.sdk:mediationsdk", None, ("IronSource", "init")),
    ("netease-nim", "com.netease.nimlib:basesdk", None, ("NIMClient", "initSDK")),
    ("rongcloud-im", "cn.rongcloud.sdk:im_lib", None, ("RongIMClient", "init")),
    ("honor-push", "com.hihonor.mcs:push", None, ("HonorPushClient", "init")),
    ("shumei", "com.ishumei:smsdk", None, ("SmAntiFraud", "create")),
    ("qiyu", "com.qiyukf.unicorn:unicorn", None, ("Unicorn", "initSdk")),
    ("iflytek-msc", "com.iflytek:msc", "libs/Msc.jar", ("SpeechUtility", "createUtility")),
    ("agora-rtc", "io.agora.rtc:full-sdk", None, ("RtcEngine", "create")),
    ("talkingdata", "com.talkingdata:analytics", None, ("TCAgent", "init")),
    ("meizu-push", "com.meizu.flyme.internet:push-internal", None, ("PushManager", "register")),
    ("growingio", "com.growingio.android:autotracker-cdp", None, ("GrowingAutotracker", "startWithConfiguration")),
    ("flurry", "com.flurry.android:analytics", None, ("FlurryAgent", "init")),
    ("braze", "com.braze:android-sdk-ui", None, ("BrazeActivityLifecycleCallbackListener",
                                                 "BrazeActivityLifecycleCallbackListener")),
    ("sigmob", "com.sigmob.sdk:windad", None, ("WindAds", "startWithOptions")),
    # issue 14: SDKs the held-back apps start early
    ("pgyer", "com.pgyersdk:sdk", "libs/pgyer_sdk_2.4.5.jar", ("PgyCrashManager", "register")),
    ("pgyer", "com.pgyer:analytics", None, ("PgyerSDKManager.Init", "start")),
    ("aliyun-httpdns", "com.aliyun.ams:alicloud-android-httpdns", "libs/alicloud-android-httpdns-2.6.3.aar",
     ("HttpDns", "getService")),
    ("countly", "ly.count.android:sdk", None, ("Countly", "init")),
    ("firebase-remote-config", "com.google.firebase:firebase-config", None,
     ("FirebaseRemoteConfig", "fetchAndActivate")),
    ("firebase-remote-config", "com.google.firebase:firebase-config-ktx", None, ("FirebaseRemoteConfig", "fetch")),
]


@pytest.mark.parametrize(("sdk_id", "coordinate", "jar", "init"), CATALOG_2_SDKS,
                         ids=[f"{row[0]}-{row[3][1]}" for row in CATALOG_2_SDKS])
def test_catalog_2_sdks_are_recognised(catalog: Catalog, sdk_id: str, coordinate: str, jar: str | None,
                                       init: tuple[str, str]) -> None:
    group, _, artifact = coordinate.partition(":")
    assert catalog.sdk_for_coordinate(group, artifact).id == sdk_id
    if jar is not None:
        assert catalog.sdk_for_jar(jar).id == sdk_id
    owner, method = init
    calls = {(call.owner_simple, role) for sdk, role, call in catalog.sdk_calls_by_method[method] if sdk.id == sdk_id}
    assert (owner, "init") in calls
    sdk = catalog.sdk(sdk_id)
    # every call owner lives in one of the SDK's packages (a wrong owner is a silent miss)
    for _role, call in sdk.calls():
        assert any(call.owner.startswith(package + ".") for package in sdk.packages), (sdk_id, call.owner)
    assert sdk.fix_zh and sdk.aliases and sdk.policy_url, sdk_id


def _roles(catalog: Catalog, sdk_id: str) -> dict[str, set[str]]:
    """Role (`init`, `agree`, `preinit` …) → the methods an SDK's catalogued calls have in it."""
    out: dict[str, set[str]] = {}
    for role, call in catalog.sdk(sdk_id).calls():
        out.setdefault(role, set()).add(call.method)
    return out


def test_catalog_2_consent_calls(catalog: Catalog) -> None:
    assert _roles(catalog, "datadog")["agree"] == {"setTrackingConsent"}
    assert _roles(catalog, "onesignal")["agree"] == {"setConsentGiven", "provideUserConsent"}
    assert _roles(catalog, "applovin")["agree"] == {"setHasUserConsent"}
    assert _roles(catalog, "ironsource")["agree"] == {"setConsent"}
    assert _roles(catalog, "netease-nim")["preinit"] == {"config"} and "init" in _roles(catalog, "netease-nim")["init"]
    assert _roles(catalog, "qiyu") == {"init": {"initSdk"}, "preinit": {"config"}}
    assert catalog.sdk("datadog").confidence == "V"
    # the newer entries must not steal coordinates of older ones
    assert catalog.sdk_for_coordinate("cn.jiguang.sdk", "jcore").id == "jcore"
    assert catalog.sdk_for_coordinate("cn.jiguang.sdk", "jpush").id == "jpush"


def test_no_builder_owner_with_a_generic_method(catalog: Catalog) -> None:
    """The SDK matcher confirms an untyped chain by the owner's last segment, so `Builder.build` would match every
    `new NotificationCompat.Builder(…).build()`: a nested builder may only own a method no other builder has."""
    generic = {"build", "create", "init", "initialize", "start", "apply"}
    for sdk in catalog.sdks:
        for role, call in sdk.calls():
            assert not (call.owner.endswith(".Builder") and call.method in generic), (sdk.id, role, call.owner)


@pytest.mark.parametrize(("version", "starts"), [
    ("1.7.16", False), ("1.7", False), ("2.0.0", True), ("2.0.0-beta01", True), ("7.14.0", True),
    (None, True), ("$sentry_version", True), ("+", True), ("[1.0,2.0)", True),
])
def test_an_sdk_version_before_its_self_start_does_not_start_itself(version: str | None, starts: bool) -> None:
    """sentry-android 1.x (the legacy SDK) starts only with `Sentry.init` in code; 2.0.0 added the self-start.
    A version that cannot be read counts as one that starts itself (the finding is kept)."""
    sentry = load_catalog().sdk("sentry")
    assert sentry.autostart_since == "2.0.0"
    assert sentry.starts_itself(version) is starts


def test_issue_14_sdks(catalog: Catalog) -> None:
    """The SDKs added for issue 14: what may run before consent, what withdraws, and what they must not claim."""
    # Countly: consent is switched on the config before init; the engine still reports the init (documented)
    assert _roles(catalog, "countly") == {"init": {"init"}, "preinit": {"setRequiresConsent"},
                                          "disable": {"removeConsentAll"}}
    assert "setRequiresConsent(true)" in catalog.sdk("countly").fix and "giveConsentAll" in catalog.sdk("countly").fix
    assert _roles(catalog, "pgyer")["init"] == {"register", "start"}
    # Remote Config: only a fetch contacts the backend; getInstance/activate/setDefaultsAsync stay local, and the
    # entry neither starts itself from a provider nor claims the other Firebase artifacts
    remote = catalog.sdk("firebase-remote-config")
    assert _roles(catalog, "firebase-remote-config") == {"init": {"fetchAndActivate", "fetch"}}
    assert not remote.autoinit_providers and not remote.manifest_flags
    assert catalog.sdk_for_coordinate("com.google.firebase", "firebase-bom") is None
    assert catalog.sdk_for_coordinate("com.google.firebase", "firebase-analytics").id == "firebase-analytics"
    # HTTPDNS is not the Alibaba Cloud EMAS SDKs around it
    assert catalog.sdk_for_coordinate("com.aliyun.ams", "alicloud-android-push").id == "aliyun-push"
    for sdk_id in ("pgyer", "firebase-remote-config"):
        assert catalog.sdk(sdk_id).confidence == "P" and "[M]" in catalog.sdk(sdk_id).source, sdk_id
