"""A runtime permission is requested at startup instead of when the user uses the feature that needs it.

## What it does
Finds runtime permission requests in every form (`requestPermissions`, `ActivityCompat.requestPermissions`,
ActivityResult launchers from `registerForActivityResult` / Compose `rememberLauncherForActivityResult`,
PermissionX, XXPermissions, AndPermission, utilcode `PermissionUtils`, EasyPermissions, RxPermissions, Dexter,
PermissionsDispatcher (`…WithPermissionCheck`), `permissions.wrappers` and the project's own wrapper
functions) that run by themselves when the app starts: in the Application, a ContentProvider or initializer,
the launcher activity's lifecycle and its permission/activity-result callbacks (those only once something at
startup asks for a result: the answer to a request or a screen started for a result on the user's tap is part
of that tap), the screens the launcher opens without a user action and the fragments those screens add
(`onCreate`, `onStart`, `onResume`, `onViewCreated` …), and anything they call — rather than from a click or
another user action. Requests that also run before the user has consented say so. A request in a lambda that a
control's callback invokes is on the user's action, also when the lambda is handed on through the app's own
composables (`SettingsContent(onReminders = { … })` passing `onClick = onReminders` to a row whose `clickable`
calls it), and so is one in the answer of the app's own dialog set through its Java setter
(`dialog.setOnGrant(() -> launcher.launch(p))`). A request in an observer of a value the app holds in a
`MutableLiveData` / `SingleLiveEvent` / `MutableStateFlow` field that nothing in the project sets never runs. A
request a composable makes only while a state of its own holds a value (`picture?.let { … }`, `if (saving)`)
that only the user's actions give it (`IconButton(onClick = { scope.launch { picture = render() } })`) runs after
that tap; the state's initial value is taken to be empty (`mutableStateOf<Bitmap?>(null)`), not read.

## Why is this bad?
A permission dialog at launch asks before the user has seen the feature, so the purpose cannot be clear.
Before consent it is a violation of its own: 191号文 三.1 names turning on PI-capable permissions before the
user agrees. At launch it is the 过度索取权限 category of the MIIT campaign (337号 (7): permissions unrelated to
the current scenario, such as contacts, location or SMS asked for at first launch). MIIT 26号 requires
permissions to be requested dynamically, when the function that needs them starts, and Huawei AppGallery's
review FAQ §5.5 rejects requests made before the user starts using the function.

## Example
```kotlin
class SplashActivity : AppCompatActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        ActivityCompat.requestPermissions(this, arrayOf(Manifest.permission.ACCESS_FINE_LOCATION), REQ)
    }
}
```

## Use instead
```kotlin
class WeatherFragment : Fragment() {
    private val locate = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) showLocalWeather() else showCityPicker()
    }

    override fun onViewCreated(view: View, savedInstanceState: Bundle?) {
        binding.useMyLocation.setOnClickListener {            // the user asks for the feature
            explainThen { locate.launch(Manifest.permission.ACCESS_COARSE_LOCATION) }
        }
    }
}
```

## Fix safety
No automatic fix: the request must move into the feature's own flow.

## Limitations
A screen counts as opened at startup when the launcher (or a screen it opens) starts it through an
`Intent` naming its class, or adds it as a fragment by constructing it, outside a click handler; screens
reached through navigation graphs, reflection or a router library are not followed, and an activity the
user opened on purpose (a scanner started from a button) is not reported. Requests whose permissions
cannot be resolved to names (a list from the network, a parameter of an unrecognised helper) are reported
as a warning that says so, rather than skipped.
A request that a composable shows only in one branch of a condition on its UI state
(`when (pendingRequest) { is Improv -> ImprovPrompt(…) }`, `if (state.showScanner) Scanner(…)`) is taken to
run when an event sets that state, not at startup; conditions on the permission's own state
(`if (!status.isGranted) LaunchedEffect(Unit) { … }`), on a first-run flag or on consent do not count.
A request in a function value that is kept for later — assigned to a property, or handed to a project
function that stores it without calling it (`viewModel.setPermissionInfo(granted) { launcher.launch(p) }`) —
is not a startup request: it runs when something invokes it, which is not followed.

## References
- 191号文 三.1
- 337号 (7) 过度索取权限
- MIIT 26号 (request dynamically when the function is used)
- Huawei AppGallery review FAQ §5.5
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    asked_permissions,
    before_consent,
    fix_text,
    requests_at_startup,
    say,
    startup,
)

META = RuleMeta(
    id="CF302",
    name="permission-request-at-startup",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="A runtime permission is requested at startup rather than when the user uses the feature",
    fix="Request the permission from the user action that starts the feature needing it, after consent",
    references=("191号文 三.1", "337号 (7)", "MIIT 26号", "Huawei AppGallery review FAQ §5.5"),
    messages={
        "at-startup": "`{call}` asks for {permissions} {when} (reached from {entry}), not on a user action",
        "when-before-consent": "before the user consents",
        "when-startup": "at startup",
    },
    fixes={
        "on-action": "Ask for {permissions} only when the user opens the feature that needs it (a click handler), "
                     "after consent and after explaining why",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    reach = startup(ctx)
    for req, reached in requests_at_startup(ctx):
        asked = asked_permissions(ctx, req)
        if not asked.en:
            continue
        when = say(ctx, META, "when-before-consent" if before_consent(ctx, req) else "when-startup")
        message = say(ctx, META, "at-startup", call=req.site.qualified, permissions=asked, when=when,
                          entry=reached.entry.note)
        trace = reach.trace(reached, req.site, f"`{req.site.qualified}` asks for {asked.en}")
        fix = fix_text(ctx, META, "on-action", permissions=asked)
        finding = ctx.site_finding(META, req.fid, req.site, message, fix=fix, trace=trace)
        if req.unresolved and META.id not in ctx.config.severity and META.name not in ctx.config.severity:
            finding = replace(finding, severity=Severity.WARNING)  # it may ask for no dangerous permission
        yield finding
