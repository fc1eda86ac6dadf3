"""The app collects personal information but has no first-run consent gate.

## What it does
Looks for the two halves of a consent gate in an app that collects personal information (catalogued data
SDKs among its dependencies, personal-information APIs in its code, or runtime permission requests):

- a **consent UI**: a dialog, activity or composable that shows privacy-policy text (a string resource,
  literal or layout text naming 隐私政策 / 隐私协议 / the Privacy Policy) with an agree action (an
  `agree`/`同意` button listener, an `onAgree =` callback, a positive dialog button labelled 同意/Agree) and a
  disagree action (or a "save my choices" action that stores the answer from the switch the user set:
  `putBoolean(KEY_CONSENT, analyticsConsent)`, or an agreement box the button needs ticked: `if
  (!cbAgree.isChecked()) return;`, or a box the app draws itself: a boolean field that starts `false` and that
  only another view's click handler sets, `ivBox.setOnClickListener { ticked = !ticked }`, held by the button's
  `if (ticked) … else toast(…)` - such a button agrees whatever it says, 立即开启 or 确认, and the box left
  unticked is the way not to; not the terms box of a sign-in or registration form);
- a **stored agreement read at startup** (also through a local it was read into or a `let` / `also` lambda's
  parameter, `getInt(KEY_PRIVACY, 0).let { v -> … }`, and as a test that it is absent: `if
  (!TextUtils.isEmpty(agreedVersion))`, a stored number still at zero, `if (v == 0)`): a consent check (a
  SharedPreferences / MMKV / DataStore
  read of a `privacy`/`agree`/`consent`/`隐私`/`协议` key, or of the key the dialog's agree action stores a mark
  under whatever its name (`setParam(IS_NEED_SERCERT_STRING, true)`, `putString(VERSION_APP, "0")`), a function
  that does one, or a configured
  `consent.predicates` function) in a condition that runs from the Application or the launcher activity, or
  there a read of a data-collection setting the app lets the user switch (`getBoolean(PREF_CRASH_REPORTS,
  false)` where a welcome dialog or Settings stores `putBoolean(PREF_CRASH_REPORTS, enabled)`, or where an opt-in
  screen's buttons store `true` and `false`), also through the app's own wrapper
  (`Prefs.getBooleanPref(this, R.string.pref_send_crash_reports)`): an analytics or crash-report opt-in is the
  consent the collecting code follows.

It reports once per project, on the `<application>` element of the app's main manifest (where the
whole app is declared; the Application class, or the launcher activity, is the first step of the path),
naming what collects and which half is missing.

Where the app is distributed (`distribution`) decides when a gate is needed. In China (`china-stores`,
`both`, the default) every app that collects needs one: MIIT's first-run prompt is required whatever the
legal basis. An app distributed only outside China (`google-play`, `elsewhere`) needs one when a catalogued
data SDK ships in it (analytics, ads, crash reporting, push: data goes to a third party, which GDPR and
Play's user-data policy tie to consent); personal information its own code reads for the feature the user
opens (location for a GPS logger, the camera of a scanner) is asked for with runtime permissions and
disclosed in the privacy policy, not behind a first-run gate. There the consent for analytics or crash
reporting may also be a screen that asks whether to share usage or crash data, with one action that turns the
setting on and another that turns it off (`Allow` → `setAnalyticsEnabled(true)`, `No thanks` →
`setAnalyticsEnabled(false)`; or a call named for the consent answer, `model.setTrackingConsent(true)` /
`(false)`, however the app then stores it; or a typed DataStore of the setting, `analyticsConsentStore.updateData
{ true }`, written from a view model's event functions the screen hands its buttons, `onClick =
viewModel::onContinueWithAnalytics`, and read at startup as `analyticsConsentStore.data`), or only a "yes"
when every read of the setting defaults to off (`getBoolean(send_crash, false)`), read again at every start; a
Settings switch alone, on until the user finds it, is an opt-out, not consent. On a first-run onboarding, setup,
intro or welcome screen (named so: `OnboardingDataFragment`, `FirstRunSetupActivity`, `IntroSharingPage`) the same
switch is the question itself:
its value stored by the screen (`putBoolean(KEY_CRASH_REPORTS, crashSwitch.isChecked)` on "Finish setup"), or
the two sides of one radio group (`when (checkedId) { R.id.share_yes -> … true; R.id.share_no -> … false }`), is
the user's answer; a first-run tutorial that asks nothing about data is no gate. Google's consent form (User
Messaging Platform: `loadAndShowConsentFormIfRequired`, `loadConsentForm`) is such a gate too: it asks, and
keeps the answer that `canRequestAds()` reads. The opt-in's actions may reach the setting through the screen's
own callback (`onConfirm(analytics)` / `onConfirm(false)`, with callers passing `model::setFirstLaunch`); when the SDKs'
manifest master switches keep them off until then, the SDKs keep the answer and nothing needs to be read at
startup. Whether that screen links the policy is CF309's question.

A consent dialog is also recognised by what its buttons do and how it answers: a view whose layout text says
同意/不同意/退出 (also a field named with other widget words than its id, `@BindView(R.id.go_on) Button mGoOnBt`,
matched by its other words among the views of the layouts its class inflates; a handler kept in a field that a
data-binding layout binds to a view, `app:onClickCall="@{dialog.onExitClick}"` on 退出, with the policy text in
the layout that declares the class as a `<variable>`), a view named for its answer when its layout gives no
text (`ll_sure` / `ll_cancel`, `btnOk`), a button that calls the dialog listener's `agree()` / `noAgree()`, the
`yes()` / `onConfirm` of a callback handed to the consent UI (`privacyPopup.setCallback(new
PrivacyPopup.Callback() { void yes() … })`), a case of the screen's own `onClick(View v)` (`case
R.id.button_agree:`), and a callback handed the answer (`PrivacyDialog(this, html) { isAgree -> if (isAgree) …
else finish() }`), where a dialog class named for the policy counts even when its text comes from a server.

## Why is this bad?
191号文 一.2 makes it a violation when, on first run, no pop-up or other prominent prompt asks the user to read
the privacy policy; app stores reject such apps (OPPO's rejection text: "您的应用在首次运行时未通过弹窗等明显方式提醒
用户阅读隐私政策") and expect a 不同意 path in the pop-up. Without a stored answer that is checked at every
start, nothing keeps SDKs and personal-information reads from running before the user agrees (PIPL
Art. 13, Art. 14, Art. 17).

## Example
```kotlin
class App : Application() {
    override fun onCreate() {
        super.onCreate()
        UMConfigure.init(this, KEY, CHANNEL, UMConfigure.DEVICE_TYPE_PHONE, "")  // no dialog anywhere
    }
}
```

## Use instead
```kotlin
class SplashActivity : AppCompatActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (PrivacyStore.isAgreed(this)) return openMain()
        AlertDialog.Builder(this)
            .setTitle(R.string.privacy_title)                 // 隐私政策
            .setMessage(policySummaryWithLinks())             // links to the full policy
            .setPositiveButton(R.string.agree) { _, _ ->      // 同意
                PrivacyStore.setAgreed(this, true)
                SdkBootstrap.initAll(this)
                openMain()
            }
            .setNegativeButton(R.string.disagree) { _, _ -> showBasicModeOffer() }  // 不同意
            .setCancelable(false)
            .show()
    }
}
```

## Fix safety
No automatic fix: the dialog, its texts and the stored flag are the app's own.

## Limitations
A consent UI is recognised from its texts, its class name and its button handlers; a dialog built by a
server-driven UI, a WebView page or a custom view whose buttons say nothing is not seen (configure the stored
check with `consent.predicates` so at least that half is found). Whether the dialog is really shown first,
and shown modally, cannot be proven statically. Apps whose only collection happens inside SDK binaries
that are not catalogued are not considered collecting. A first-run onboarding or setup screen is known by its
name (onboarding, setup, intro, welcome, tutorial, wizard, first run), not by how the launcher reaches it: an
opt-in screen named otherwise is judged like a Settings screen, and one named so but opened from Settings counts
as asked. A stored answer read only through a flow the linter cannot follow (a `Pair` emitted into a
`SharedFlow`, a base class calling the launcher's override of a member extension `binding.initBinding()`) is not
found.

## References
- 191号文 一.2, 一.1
- PIPL Art. 13, Art. 14, Art. 17
- GB/T 41391-2022 6.4
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.model.consent import key_read
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    app_anchor,
    collection_choices,
    collection_key,
    collection_store,
    collection_switch_written,
    consent_expected,
    consent_platform,
    consent_uis,
    memo,
    outside_china,
    say,
    startup,
    what_collects,
)
from pipl_lint.rules.early_collection._common import switched_off_at_launch

META = RuleMeta(
    id="CF301",
    name="consent-gate-missing",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="The app collects personal information but has no first-run privacy dialog backed by a stored agreement",
    fix="Show a first-run privacy dialog (policy summary, link to the full policy, 同意 and 不同意), store the "
        "answer, and check it at every start before any SDK or personal-information API runs",
    references=("191号文 一.2", "191号文 一.1", "PIPL Art. 13", "PIPL Art. 14", "PIPL Art. 17"),
    messages={
        "collects": "{what} collect personal information, but {problem}",
        # What is missing ({problem} above).
        "no-gate": "no first-run privacy dialog and no stored agreement read at startup",
        "no-disagree": "the privacy UI `{ui}` has no disagree action (a stored agreement is read at startup)",
        "no-dialog": "no dialog shows the privacy policy with agree and disagree actions (a stored agreement is read "
                     "at startup)",
        "not-read": "the privacy dialog `{ui}` exists but no stored agreement is read at startup",
    },
)

WRITES = ("set", "save", "put", "update", "store", "mark", "record", "clear", "reset", "remove")


def check(ctx: Context) -> Iterator[Finding]:
    what, evidence = what_collects(ctx)
    if not what.en:
        return
    if not consent_expected(ctx):
        return  # not distributed in China, and no third-party data SDK: no first-run gate is required
    anchor = app_anchor(ctx)
    element = next((m for m in ctx.app_manifests() if m.application is not None), None)
    if anchor is None and element is None:
        return
    if outside_china(ctx) and consent_platform(ctx)[0]:
        return  # a consent management platform's form (Google UMP) asks and keeps the answer
    uis = [ui for ui in consent_uis(ctx) if ui.refuse or ui.choose]
    choices = collection_choices(ctx) if outside_china(ctx) else []
    uis += choices  # an analytics / crash-report opt-in is the consent GDPR and Play ask for
    partial = [ui for ui in consent_uis(ctx) if not (ui.refuse or ui.choose)]
    # The opt-in's answer is kept by the SDKs themselves when their manifest switches keep them off until then.
    read = startup_consent_read(ctx) or bool(choices and switched_off_at_launch(ctx))
    if uis and read:
        return
    if not uis and not read:
        problem = say(ctx, META, "no-gate")
    elif not uis:
        problem = say(ctx, META, "no-disagree", ui=partial[0].name) if partial else say(ctx, META, "no-dialog")
    else:
        problem = say(ctx, META, "not-read", ui=uis[0].name)
    trace = [TraceStep(anchor.path, anchor.span.line, "the app starts here")] if anchor is not None else []
    trace += evidence
    for ui in (uis or partial)[:1]:
        trace.append(TraceStep(ui.path, ui.line, f"`{ui.name}` shows the privacy policy" if ui.policy else
                               f"`{ui.name}` asks whether to share usage or crash data"))
    message = say(ctx, META, "collects", what=what, problem=problem)
    if element is not None and element.application is not None:
        path, span = element.path, ctx.element_span(element.application.element)
    else:
        assert anchor is not None
        path, span = anchor.path, anchor.span
    yield ctx.finding(META, path, span, message, trace=tuple(trace), anchor="consent-gate")


def startup_consent_read(ctx: Context) -> bool:
    """A stored agreement is checked in code that runs at startup (Application, launcher and what they call), or
    a data-collection setting the user switches (`putBoolean(getString(R.string.pref_analytics_key), enabled)`
    somewhere) is read there (`getBoolean(getString(R.string.pref_analytics_key), false)`): the opt-in the
    collecting code follows."""
    def build() -> bool:
        consent = ctx.consent
        predicates = consent.predicate_functions() | consent.configured_simple
        # The setting is one the user switches: a value they set is stored somewhere, or a screen asks them (the
        # opt-in's buttons store `true` / `false`).
        switch = collection_switch_written(ctx) or bool(outside_china(ctx) and collection_choices(ctx))
        for reached in startup(ctx).functions():
            for site in ctx.index.sites_of(reached.fid):
                if any(consent.guard_state(g) != 0 for g in site.guards):
                    return True
                if site.kind == "call" and site.name in predicates and not site.name.startswith(WRITES):
                    return True
                if switch and site.kind == "call" and key_read(site.name) and \
                        any(collection_key(a) for a in site.args):
                    return True
                if switch and site.name == "data" and collection_store(site.receiver or ""):
                    return True  # the typed DataStore of the setting (`analyticsConsentStore.data.collect { … }`)
        return False

    return memo(ctx, "startup_consent_read", build)
