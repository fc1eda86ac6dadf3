"""Permission-request recognition (`lint/model/requests.py`): every request form, the permissions each asks
for (constants, arrays, wrapper constants), the result callbacks and their refusal branches, and the
configuration keys the consent-flow rules read."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.model.index import ProgramIndex
from pipl_lint.model.requests import (
    PermissionRequest,
    RequestFinder,
    ResultCallback,
    grant_sense,
    lambda_params,
    normalise,
    refusal_branch,
)
from pipl_lint.model.source import summarize
from pipl_lint.model.summary import Arg, Atom, Site
from pipl_lint.registry import lookup
from tests.conftest import FIXTURES

P = "android.permission."


def finder(sources: dict[str, str], wrappers: tuple[str, ...] = ()) -> RequestFinder:
    summaries = []
    for path, text in sources.items():
        result = summarize(path, text.encode(), "kotlin" if path.endswith(".kt") else "java")
        assert result.summary is not None and not result.summary.syntax_errors, result.problems
        summaries.append(result.summary)
    return RequestFinder(ProgramIndex(summaries), wrappers)


def requests(sources: dict[str, str], wrappers: tuple[str, ...] = ()) -> list[PermissionRequest]:
    return list(finder(sources, wrappers).requests())


def by_line(reqs: list[PermissionRequest]) -> dict[int, PermissionRequest]:
    return {r.site.line: r for r in reqs}


def short(req: PermissionRequest) -> list[str]:
    return [p.rsplit(".", 1)[-1] for p in req.permissions]


def line_of(source: str, snippet: str) -> int:
    """1-based line of the first line of `source` containing `snippet`."""
    return next(i for i, text in enumerate(source.splitlines(), 1) if snippet in text)


def sites_in(f: RequestFinder, cb: ResultCallback) -> list[Site]:
    return list(cb.sites(f.index))


# --- names ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ref", "want"), [
    ("Manifest.permission.CAMERA", P + "CAMERA"),
    ("android.Manifest.permission.READ_CONTACTS", P + "READ_CONTACTS"),
    ('"android.permission.RECORD_AUDIO"', P + "RECORD_AUDIO"),
    ("Permission.ACCESS_FINE_LOCATION", P + "ACCESS_FINE_LOCATION"),  # XXPermissions / AndPermission
    ("PermissionConstants.CAMERA", P + "CAMERA"),  # utilcode
    ("com.android.permission.GET_INSTALLED_APPS", "com.android.permission.GET_INSTALLED_APPS"),
    ("REQUEST_CODE", None),
    ("permission", None),
])
def test_normalise(ref: str, want: str | None) -> None:
    assert normalise(ref) == want


# --- requestPermissions and constants -----------------------------------------------------------------------

KOTLIN_ACTIVITY = """
package com.acme

import android.Manifest
import androidx.appcompat.app.AppCompatActivity
import androidx.core.app.ActivityCompat

class MainActivity : AppCompatActivity() {
    fun direct() {
        requestPermissions(arrayOf(Manifest.permission.CAMERA, "android.permission.RECORD_AUDIO"), 1)
    }

    fun compat() {
        ActivityCompat.requestPermissions(this, STARTUP, REQ_STARTUP)
    }

    fun local() {
        val wanted = arrayOf(LOCATION, Manifest.permission.READ_CONTACTS)
        requestPermissions(wanted, 3)
    }

    fun unresolved(permission: String) {
        requestPermissions(arrayOf(permission), 4)
    }

    companion object {
        const val REQ_STARTUP = 2
        const val LOCATION = Manifest.permission.ACCESS_FINE_LOCATION
        val STARTUP = arrayOf(LOCATION, Manifest.permission.READ_PHONE_STATE)
    }
}
"""


def test_request_permissions_and_constant_resolution() -> None:
    src = KOTLIN_ACTIVITY
    reqs = by_line(requests({"MainActivity.kt": src}))
    assert sorted(short(reqs[line_of(src, "arrayOf(Manifest.permission.CAMERA")])) == ["CAMERA", "RECORD_AUDIO"]
    # a companion array that refers to another constant
    assert short(reqs[line_of(src, "STARTUP, REQ_STARTUP")]) == ["ACCESS_FINE_LOCATION", "READ_PHONE_STATE"]
    assert short(reqs[line_of(src, "(wanted, 3)")]) == ["ACCESS_FINE_LOCATION", "READ_CONTACTS"]  # a local array
    assert line_of(src, "arrayOf(permission)") not in reqs  # a parameter: the caller makes the request
    assert {r.form for r in reqs.values()} == {"requestPermissions"}


JAVA_ACTIVITY = """
package com.acme;

import android.Manifest;
import android.app.Activity;
import android.content.pm.PackageManager;

public class JavaActivity extends Activity {
    private static final int REQ_CAMERA = 7;
    private static final int REQ_OTHER = 8;
    private static final String[] PERMS = {Manifest.permission.CAMERA, Permissions.EXTRA};

    void ask() {
        requestPermissions(PERMS, REQ_CAMERA);
    }

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {
        if (requestCode == REQ_OTHER) {
            finish();
        }
        if (grantResults[0] != PackageManager.PERMISSION_GRANTED) {
            finish();
        }
    }
}

final class Permissions {
    static final String EXTRA = "android.permission.READ_CALENDAR";
}
"""


def test_java_array_constant_and_result_override() -> None:
    f = finder({"JavaActivity.java": JAVA_ACTIVITY})
    (req,) = f.requests()
    assert short(req) == ["CAMERA", "READ_CALENDAR"]
    (cb,) = req.callbacks
    assert cb.label == "onRequestPermissionsResult" and cb.params == ("grantResults",)
    assert cb.request_code == "REQ_CAMERA"
    finishes = [s for s in sites_in(f, cb) if s.name == "finish"]
    # the `requestCode == REQ_OTHER` branch belongs to another request
    assert [s.line for s in finishes] == [line_of(JAVA_ACTIVITY, "PERMISSION_GRANTED) {") + 1]
    assert refusal_branch(finishes[0], cb)


# --- ActivityResult launchers -------------------------------------------------------------------------------

LAUNCHERS = """
package com.acme

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.fragment.app.Fragment
import androidx.lifecycle.lifecycleScope
import kotlinx.coroutines.launch

class CameraFragment : Fragment() {
    private val camera = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) open() else close()
    }

    fun ask() {
        camera.launch(Manifest.permission.CAMERA)
        lifecycleScope.launch { load() }
    }

    private fun open() {}
    private fun close() {}
    private suspend fun load() {}
}

@Composable
fun MicButton() {
    val mic = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { result ->
        if (result.values.all { it }) record()
    }
    mic.launch(arrayOf(Manifest.permission.RECORD_AUDIO, Manifest.permission.CAMERA))
}

fun record() {}
"""

JAVA_LAUNCHERS = """
package com.acme;

import android.Manifest;
import androidx.activity.result.ActivityResultCallback;
import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.contract.ActivityResultContracts;
import androidx.appcompat.app.AppCompatActivity;
import java.util.Map;

public class LocationActivity extends AppCompatActivity {
    private final ActivityResultLauncher<String[]> location =
            registerForActivityResult(new ActivityResultContracts.RequestMultiplePermissions(), this::onLocation);
    private final ActivityResultLauncher<String> camera = registerForActivityResult(
            new ActivityResultContracts.RequestPermission(), new ActivityResultCallback<Boolean>() {
                @Override
                public void onActivityResult(Boolean granted) {
                    if (!granted) {
                        finish();
                    }
                }
            });

    void ask() {
        location.launch(new String[]{Manifest.permission.ACCESS_FINE_LOCATION,
                Manifest.permission.ACCESS_COARSE_LOCATION});
        camera.launch(Manifest.permission.CAMERA);
    }

    private void onLocation(Map<String, Boolean> result) {
    }
}
"""


def test_kotlin_and_compose_launchers_with_callbacks() -> None:
    src = LAUNCHERS
    f = finder({"Launchers.kt": src})
    reqs = by_line(list(f.requests()))
    camera_line, mic_line = line_of(src, "camera.launch("), line_of(src, "mic.launch(")
    assert set(reqs) == {camera_line, mic_line}  # the coroutine `lifecycleScope.launch { }` is not a request
    camera, mic = reqs[camera_line], reqs[mic_line]
    assert camera.form == "launcher" and camera.contract == "RequestPermission" and short(camera) == ["CAMERA"]
    assert camera.registration is not None
    assert camera.registration.site.line == line_of(src, "private val camera")
    (cb,) = camera.callbacks
    assert cb.params == ("granted",)
    branches = {s.name: refusal_branch(s, cb) for s in sites_in(f, cb)}
    assert branches == {"open": False, "close": True}
    assert mic.contract == "RequestMultiplePermissions" and short(mic) == ["RECORD_AUDIO", "CAMERA"]
    assert mic.callbacks[0].params == ("result",)


def test_java_launchers_reference_and_anonymous_callbacks() -> None:
    src = JAVA_LAUNCHERS
    f = finder({"LocationActivity.java": src})
    reqs = by_line(list(f.requests()))
    location, camera = reqs[line_of(src, "location.launch(")], reqs[line_of(src, "camera.launch(")]
    assert location.contract == "RequestMultiplePermissions"
    assert short(location) == ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"]
    assert [f.index.function(cb.fid).name for cb in location.callbacks] == ["onLocation"]
    assert camera.contract == "RequestPermission"
    (cb,) = camera.callbacks
    (finish,) = [s for s in sites_in(f, cb) if s.name == "finish"]
    assert cb.label == "onActivityResult" and refusal_branch(finish, cb)


ACCOMPANIST = """
package com.acme

import android.Manifest
import androidx.compose.material3.Button
import androidx.compose.runtime.Composable
import com.google.accompanist.permissions.rememberMultiplePermissionsState
import com.google.accompanist.permissions.rememberPermissionState

@Composable
fun Scanner() {
    val camera = rememberPermissionState(Manifest.permission.CAMERA) { granted -> if (!granted) close() }
    val media = rememberMultiplePermissionsState(
        listOf(Manifest.permission.READ_MEDIA_IMAGES, Manifest.permission.READ_MEDIA_VIDEO),
    )
    Button(onClick = { camera.launchPermissionRequest() }) {}
    Button(onClick = { media.launchMultiplePermissionRequest() }) {}
}

fun close() {}
"""


def test_accompanist_permission_states() -> None:
    f = finder({"Scanner.kt": ACCOMPANIST})
    reqs = {r.site.name: r for r in f.requests()}
    assert short(reqs["launchPermissionRequest"]) == ["CAMERA"]
    assert short(reqs["launchMultiplePermissionRequest"]) == ["READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO"]
    (cb,) = reqs["launchPermissionRequest"].callbacks
    (close,) = [s for s in sites_in(f, cb) if s.name == "close"]
    assert refusal_branch(close, cb)


# --- wrapper libraries ---------------------------------------------------------------------------------------

LIBRARIES = """
package com.acme

import android.Manifest
import androidx.fragment.app.FragmentActivity
import com.hjq.permissions.OnPermissionCallback
import com.hjq.permissions.Permission
import com.hjq.permissions.XXPermissions
import com.karumi.dexter.Dexter
import com.permissionx.guolindev.PermissionX
import com.tbruyelle.rxpermissions3.RxPermissions
import com.yanzhenjie.permission.AndPermission
import com.blankj.utilcode.constant.PermissionConstants
import com.blankj.utilcode.util.PermissionUtils
import pub.devrel.easypermissions.EasyPermissions

class Screen : FragmentActivity() {
    private val rxPermissions = RxPermissions(this)

    fun ask() {
        PermissionX.init(this).permissions(Manifest.permission.CAMERA).request { allGranted, _, _ ->
            if (!allGranted) finish()
        }
        XXPermissions.with(this).permission(Permission.READ_CALENDAR).request(object : OnPermissionCallback {
            override fun onGranted(permissions: MutableList<String>, all: Boolean) {}
            override fun onDenied(permissions: MutableList<String>, never: Boolean) { finish() }
        })
        AndPermission.with(this).runtime().permission(Permission.READ_CONTACTS).onDenied { finish() }.start()
        PermissionUtils.permission(PermissionConstants.RECORD_AUDIO).request()
        EasyPermissions.requestPermissions(this, "Scan codes", 9, Manifest.permission.CAMERA)
        rxPermissions.request(Manifest.permission.ACCESS_FINE_LOCATION).subscribe { granted -> if (!granted) finish() }
        Dexter.withContext(this).withPermission(Manifest.permission.READ_PHONE_STATE).check()
    }
}
"""


def test_wrapper_libraries() -> None:
    src = LIBRARIES
    f = finder({"Screen.kt": src})
    reqs = {r.form: r for r in f.requests()}
    assert {form: short(r) for form, r in reqs.items()} == {
        "PermissionX": ["CAMERA"],
        "XXPermissions": ["READ_CALENDAR"],
        "AndPermission": ["READ_CONTACTS"],
        "PermissionUtils": ["RECORD_AUDIO"],
        "EasyPermissions": ["CAMERA"],
        "RxPermissions": ["ACCESS_FINE_LOCATION"],
        "Dexter": ["READ_PHONE_STATE"],
    }
    assert reqs["PermissionX"].site.line == line_of(src, "PermissionX.init")
    assert reqs["EasyPermissions"].rationale_in_call and not reqs["PermissionX"].rationale_in_call
    for form in ("PermissionX", "XXPermissions", "AndPermission", "RxPermissions"):
        finishes = [(cb, s) for cb in reqs[form].callbacks for s in sites_in(f, cb) if s.name == "finish"]
        assert finishes and all(refusal_branch(s, cb) for cb, s in finishes), form
    assert {cb.label for cb in reqs["XXPermissions"].callbacks} == {"onDenied"}
    assert reqs["XXPermissions"].callbacks[0].refusal_only


# --- the project's own wrappers -------------------------------------------------------------------------------

HELPER = """
package com.acme;

import android.app.Activity;
import androidx.core.app.ActivityCompat;

public final class PermissionHelper {
    public static void ask(Activity activity, String permission) {
        ActivityCompat.requestPermissions(activity, new String[]{permission}, 1);
    }

    public static void askAll(Activity activity, String... permissions) {
        ask(activity, permissions[0]);
    }
}
"""

CALLERS = """
package com.acme

import android.Manifest
import android.app.Activity

class Profile : Activity() {
    fun avatar() {
        PermissionHelper.ask(this, Manifest.permission.CAMERA)
        PermissionHelper.askAll(this, Manifest.permission.READ_CONTACTS)
        Permissions.check(this, Manifest.permission.RECORD_AUDIO) { granted -> }
    }
}
"""


def test_project_wrappers_found_without_configuration() -> None:
    f = finder({"PermissionHelper.java": HELPER, "Profile.kt": CALLERS})
    reqs = by_line(list(f.requests()))
    ask, ask_all = line_of(CALLERS, "PermissionHelper.ask("), line_of(CALLERS, "PermissionHelper.askAll(")
    assert {line: (r.form, short(r)) for line, r in reqs.items()} == {
        ask: ("wrapper", ["CAMERA"]),
        ask_all: ("wrapper", ["READ_CONTACTS"]),  # a wrapper of a wrapper
    }
    wrapper = reqs[ask].wrapper
    assert wrapper is not None and f.index.function(wrapper).name == "ask"


def test_configured_wrapper() -> None:
    reqs = by_line(requests({"Profile.kt": CALLERS}, wrappers=("Permissions.check",)))
    check = reqs[line_of(CALLERS, "Permissions.check(")]
    assert check.form == "wrapper" and short(check) == ["RECORD_AUDIO"]


# --- the answer ----------------------------------------------------------------------------------------------------

def atom(text: str, positive: bool = True, names: tuple[str, ...] = ()) -> Atom:
    return Atom(text, positive, (), names, ())


@pytest.mark.parametrize(("a", "params", "want"), [
    (atom("granted"), (), True),
    (atom("it"), ("it",), True),
    (atom("grantResults[0] != PackageManager.PERMISSION_GRANTED"), (), False),
    (atom("r == PackageManager.PERMISSION_DENIED"), (), False),
    (atom("report.areAllPermissionsGranted()"), (), True),
    (atom("result.values.all { it }", names=("result",)), ("result",), True),
    (atom("grantResults.length == 0"), (), None),  # emptiness says nothing about the answer
    (atom("requestCode == REQ"), (), None),
])
def test_grant_sense(a: Atom, params: tuple[str, ...], want: bool | None) -> None:
    assert grant_sense(a, params) is want


@pytest.mark.parametrize(("text", "want"), [
    ("{ granted -> if (granted) a() }", ("granted",)),
    ("{ allGranted, grantedList, deniedList -> }", ("allGranted", "grantedList", "deniedList")),
    ("{ finish() }", ("it",)),
    ("granted -> { }", ("granted",)),
    ("(dialog, which) -> go()", ("dialog", "which")),
    ("this::onResult", ()),
])
def test_lambda_params(text: str, want: tuple[str, ...]) -> None:
    assert lambda_params(Arg(text, None, (), ())) == want


def test_refusal_branch_forms() -> None:
    f = finder({"Answers.kt": """
package com.acme

import androidx.activity.result.contract.ActivityResultContracts
import androidx.appcompat.app.AppCompatActivity

class Answers : AppCompatActivity() {
    private val a = registerForActivityResult(ActivityResultContracts.RequestPermission()) {
        if (!it) first()
    }
    private val b = registerForActivityResult(ActivityResultContracts.RequestPermission()) { ok ->
        if (ok) return@registerForActivityResult
        second()
    }

    private fun first() {}
    private fun second() {}
}
"""})
    found = {}
    for reg in f.registrations:
        for cb in reg.callbacks:
            for s in sites_in(f, cb):
                found[s.name] = refusal_branch(s, cb)
    assert found == {"first": True, "second": True}


# --- configuration read by the consent-flow rules -------------------------------------------------------------

def findings(case: Path, rule: str, config: Config) -> set[int]:
    r = lookup(rule)
    assert r is not None
    result = run([case], case, config, [r])
    assert not result.internal_error, result.diagnostics
    return {f.span.line for f in result.findings}


def test_require_rationale_can_be_turned_off() -> None:
    case = FIXTURES / "rules" / "permission-request-without-rationale" / "bad-kotlin"
    assert findings(case, "CF304", Config())
    assert findings(case, "CF304", Config(require_rationale=False)) == set()


def test_rerequest_interval_is_configurable() -> None:
    case = FIXTURES / "rules" / "permission-rerequest-after-denial" / "bad-kotlin"
    assert 48 in findings(case, "CF305", Config())  # AskLog waits 24 h; the default minimum is 48 h
    assert 48 not in findings(case, "CF305", Config(rerequest_interval_hours=12))


# --- permission lists built before the call (issue 15 item 1) ---------------------------------------------------

BUILT_JAVA = """
package com.acme;
import android.Manifest;
import java.util.*;
public class Splash extends Activity {
    private static final String[] PERMS = {Manifest.permission.CAMERA, Manifest.permission.READ_PHONE_STATE};
    protected void onCreate(Bundle b) {
        List<String> lacked = new ArrayList<String>();
        if (checkSelfPermission(Manifest.permission.READ_PHONE_STATE) != 0) {
            lacked.add(Manifest.permission.READ_PHONE_STATE);
        }
        if (checkSelfPermission(Manifest.permission.WRITE_EXTERNAL_STORAGE) != 0)
            lacked.add(Manifest.permission.WRITE_EXTERNAL_STORAGE);
        String[] arr = new String[lacked.size()];
        lacked.toArray(arr);
        requestPermissions(arr, 1024);
        List<String> more = new ArrayList<>();
        for (String p : PERMS) {
            if (checkSelfPermission(p) != 0) more.add(p);
        }
        requestPermissions(more.toArray(new String[0]), 1);
        List<String> all = new ArrayList<>();
        Collections.addAll(all, Manifest.permission.READ_SMS, Manifest.permission.SEND_SMS);
        ActivityCompat.requestPermissions(this, all.toArray(new String[0]), 2);
        XXPermissions.with(this).permission(PermissionLists.getReadPhoneNumbersPermission()).request(null);
        XXPermissions.with(this).permission(Permission.Group.STORAGE).request(null);
        requestPermissions(locationPermissions(), 3);
        requestPermissions(Remote.fromServer(), 4);
    }
    private String[] locationPermissions() {
        return new String[]{Manifest.permission.ACCESS_FINE_LOCATION};
    }
}
"""

BUILT_KOTLIN = """
package com.acme
import android.Manifest
class Main : AppCompatActivity() {
    private val perms = arrayOf(Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO)
    override fun onCreate(b: Bundle?) {
        val list = mutableListOf<String>()
        if (Build.VERSION.SDK_INT >= 33) list.add(Manifest.permission.POST_NOTIFICATIONS)
        list.addAll(listOf(Manifest.permission.ACCESS_FINE_LOCATION))
        ActivityCompat.requestPermissions(this, list.toTypedArray(), 1)
        val copy = ArrayList<String>()
        for (p in perms) copy.add(p)
        requestPermissions(copy.toTypedArray(), 2)
        viewModel.state.observe(this) { requestPermissions(it.permissionList.toTypedArray(), 3) }
        requestPermissions(needed(), 4)
        XXPermissions.with(this).permission(PermissionLists.getPostNotificationsPermission()).request { _, _ -> }
        PermissionUtils.permissionGroup(PermissionConstants.LOCATION).request()
        requestPermissions(remote.permissions.toTypedArray(), 5)
    }
    private fun needed(): Array<String> = arrayOf(Manifest.permission.READ_CONTACTS)
}
data class UiState(val permissionList: List<String> = emptyList())
class Vm { fun load() { state.value = UiState(permissionList = listOf(Manifest.permission.READ_SMS)) } }
"""


def test_java_lists_built_before_the_call_are_resolved() -> None:
    reqs = by_line(requests({"Splash.java": BUILT_JAVA}))
    at = lambda snippet: reqs[line_of(BUILT_JAVA, snippet)]  # noqa: E731
    assert short(at("requestPermissions(arr, 1024)")) == ["READ_PHONE_STATE", "WRITE_EXTERNAL_STORAGE"]
    assert short(at("requestPermissions(more.toArray")) == ["CAMERA", "READ_PHONE_STATE"]
    assert short(at("all.toArray")) == ["READ_SMS", "SEND_SMS"]
    assert short(at("getReadPhoneNumbersPermission")) == ["READ_PHONE_NUMBERS"]
    assert short(at("Permission.Group.STORAGE")) == ["READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"]
    assert short(at("locationPermissions(), 3")) == ["ACCESS_FINE_LOCATION"]
    unresolved = at("Remote.fromServer()")
    assert unresolved.permissions == () and unresolved.unresolved == "Remote.fromServer()"
    assert all(not r.unresolved for line, r in reqs.items() if line != unresolved.site.line)


def test_kotlin_lists_built_before_the_call_are_resolved() -> None:
    reqs = by_line(requests({"Main.kt": BUILT_KOTLIN}))
    at = lambda snippet: reqs[line_of(BUILT_KOTLIN, snippet)]  # noqa: E731
    assert short(at("list.toTypedArray(), 1")) == ["POST_NOTIFICATIONS", "ACCESS_FINE_LOCATION"]
    assert short(at("copy.toTypedArray(), 2")) == ["CAMERA", "RECORD_AUDIO"]
    assert short(at("it.permissionList")) == ["READ_SMS"]
    assert short(at("needed(), 4")) == ["READ_CONTACTS"]
    assert short(at("getPostNotificationsPermission")) == ["POST_NOTIFICATIONS"]
    assert short(at("PermissionConstants.LOCATION")) == ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"]
    unresolved = at("remote.permissions")
    assert unresolved.permissions == () and unresolved.unresolved == "remote.permissions.toTypedArray()"


def test_a_wrappers_inner_request_is_not_kept_as_unresolved() -> None:
    source = """
package com.acme
object Perms {
    fun ask(activity: Activity, vararg permissions: String) {
        ActivityCompat.requestPermissions(activity, permissions, 1)
    }
}
class Main : Activity() {
    override fun onCreate(b: Bundle?) { Perms.ask(this, Manifest.permission.CAMERA) }
}
"""
    reqs = requests({"Main.kt": source})
    assert [(r.form, short(r), r.unresolved) for r in reqs] == [("wrapper", ["CAMERA"], "")]


def test_a_launcher_of_another_contract_is_not_a_request() -> None:
    source = """
package com.acme
class Main : AppCompatActivity() {
    private val pick = registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { }
    private val ask = registerForActivityResult(ActivityResultContracts.RequestPermission()) { }
    fun onPick(intent: Intent) { pick.launch(intent) }
}
"""
    assert requests({"Main.kt": source}) == []


def test_a_manifest_constant_is_not_read_as_a_state_holder() -> None:
    """`Manifest.permission.X` must not pull in every `permission = …` argument of the project."""
    source = """
package com.acme
class Main : AppCompatActivity() {
    private val ask = registerForActivityResult(ActivityResultContracts.RequestPermission()) { }
    override fun onResume() { super.onResume(); ask.launch(Manifest.permission.RECORD_AUDIO) }
}
@Composable
fun Notifications() {
    val state = rememberPermissionState(permission = Manifest.permission.POST_NOTIFICATIONS)
}
"""
    (req,) = requests({"Main.kt": source})
    assert short(req) == ["RECORD_AUDIO"]


def test_an_intent_sender_launcher_named_like_a_permission_is_not_a_request() -> None:
    source = """
package com.acme
class Main : AppCompatActivity() {
    private val threadPermissionLauncher = registerForActivityResult(StartIntentSenderForResult()) { }
    fun sync(intent: IntentSender) { threadPermissionLauncher.launch(IntentSenderRequest.Builder(intent).build()) }
    fun ask(flow: Flow<String>) = lifecycleScope.launch {
        flow.collect { wanted -> ActivityCompat.requestPermissions(this@Main, arrayOf(wanted), 1) }
    }
}
"""
    (req,) = requests({"Main.kt": source})
    assert req.site.name == "requestPermissions" and req.unresolved == "arrayOf(wanted)"


def test_a_project_method_named_like_a_request_is_not_an_unresolved_request() -> None:
    """`requestPermissions(callback)` of the project's BaseActivity: the request is the one in its body."""
    base = """
package com.acme;
public class BaseActivity extends Activity {
    private final String[] perms = {Manifest.permission.CAMERA};
    public void requestPermissions(PermissionsCallback callback) {
        EasyPermissions.requestPermissions(this, "please", 100, perms);
    }
}
"""
    main = """
package com.acme;
public class MainActivity extends BaseActivity {
    public void initData() { requestPermissions(new PermissionsCallback() { }); }
}
"""
    reqs = requests({"BaseActivity.java": base, "MainActivity.java": main})
    assert [(r.form, short(r), r.unresolved) for r in reqs] == [("EasyPermissions", ["CAMERA"], "")]


def test_another_librarys_request_call_is_a_request() -> None:
    source = """
package com.acme
object PermissionManager {
    fun storagePermission(context: Context): Boolean {
        val bean = VMPermissionBean(Manifest.permission.WRITE_EXTERNAL_STORAGE, "storage", "to pick images")
        requestPermission(context, bean)
        return false
    }
    fun requestPermission(context: Context, bean: VMPermissionBean, callback: (Boolean) -> Unit = {}) {
        VMPermission.addPermission(bean).requestPermission(context, callback)
    }
    fun askUsb(usb: UsbManager, device: UsbDevice, pi: PendingIntent) = usb.requestPermission(device, pi)
}
"""
    (req,) = requests({"PermissionManager.kt": source})
    assert req.form == "library" and req.site.line == line_of(source, "VMPermission.addPermission")
    assert req.permissions == () and req.unresolved


def test_a_state_holder_is_read_only_from_its_own_class() -> None:
    """`it.permissions` resolves through the classes that declare `permissions`, not through every
    `permissions = …` argument of the project."""
    source = """
package com.acme
data class Prompt(val permissions: List<String>)
class Main : AppCompatActivity() {
    fun show(flow: Flow<Prompt>) = flow.collect { requestPermissions(it.permissions.toTypedArray(), 1) }
    fun make() = Prompt(permissions = listOf(Manifest.permission.BLUETOOTH_SCAN))
    fun other() = Screen(permissions = listOf(Manifest.permission.CAMERA))
}
"""
    (req,) = requests({"Main.kt": source})
    assert short(req) == ["BLUETOOTH_SCAN"]


def test_an_element_of_a_constant_array_is_that_permission_only() -> None:
    # `NEEDED[1]` of a shared array asks for the second permission, not for the whole array (Java and Kotlin).
    java = """
package com.acme;
class Config { static String[] NEEDED = new String[]{Manifest.permission.CAMERA, Manifest.permission.RECORD_AUDIO}; }
class Chat extends Activity {
    void talk() { ActivityCompat.requestPermissions(this, new String[]{Config.NEEDED[1]}, 1); }
    void all() { ActivityCompat.requestPermissions(this, Config.NEEDED, 2); }
    void out() { ActivityCompat.requestPermissions(this, new String[]{Config.NEEDED[7]}, 3); }
}
"""
    kotlin = """
package com.acme
object Perms { val NEEDED = arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.CAMERA) }
class Map : AppCompatActivity() {
    fun locate() { ActivityCompat.requestPermissions(this, arrayOf(Perms.NEEDED[0]), 1) }
}
"""
    got = by_line(requests({"Chat.java": java}))
    assert short(got[line_of(java, "talk()")]) == ["RECORD_AUDIO"]
    assert short(got[line_of(java, "all()")]) == ["CAMERA", "RECORD_AUDIO"]
    assert short(got[line_of(java, "out()")]) == ["CAMERA", "RECORD_AUDIO"]  # out of range: the whole array
    assert short(by_line(requests({"Map.kt": kotlin}))[line_of(kotlin, "locate()")]) == ["ACCESS_FINE_LOCATION"]


def test_permissions_dispatcher_generated_calls_are_requests() -> None:
    # PermissionsDispatcher generates the request (`…WithCheck` in 2.x, `…WithPermissionCheck` in 3+, a Kotlin
    # extension); the permissions sit in the `@NeedsPermission` annotation, so the request is kept unresolved,
    # naming the method. The `@OnShowRationale` method (it calls `request.proceed()`) explains after a refusal.
    java = """
package com.acme;
public class SplashActivity extends Activity {
    void onCreate(Bundle b) {
        SplashActivityPermissionsDispatcher.skipToActivityWithCheck(this, MainActivity.class);
        SplashActivityPermissionsDispatcher.showCameraWithPermissionCheck(this);
        store.saveWithCheck(this, 1);
        saveAllWithPermissionCheck(this);
    }
    @NeedsPermission({Manifest.permission.READ_PHONE_STATE}) void skipToActivity(Class c) {}
    @OnShowRationale({Manifest.permission.READ_PHONE_STATE}) void why(PermissionRequest request) { request.proceed(); }
    void saveAllWithPermissionCheck(Object o) {}
}
"""
    kotlin = """
package com.acme
class ScanFragment : Fragment() {
    fun onScan() { showCameraWithPermissionCheck() }
    @NeedsPermission(Manifest.permission.CAMERA) fun showCamera() {}
}
"""
    got = by_line(requests({"SplashActivity.java": java, "ScanFragment.kt": kotlin}))
    two = got[line_of(java, "skipToActivityWithCheck")]
    assert two.form == "PermissionsDispatcher" and two.permissions == ()
    assert two.unresolved == "@NeedsPermission of skipToActivity" and two.rationale_in_call
    assert got[line_of(java, "showCameraWithPermissionCheck")].unresolved == "@NeedsPermission of showCamera"
    assert line_of(java, "saveWithCheck") not in got  # not a dispatcher's call
    assert line_of(java, "saveAllWithPermissionCheck(this)") not in got  # the project's own function
    kt = got[line_of(kotlin, "showCameraWithPermissionCheck")]
    assert kt.form == "PermissionsDispatcher" and not kt.rationale_in_call
