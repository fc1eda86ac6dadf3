"""The privacy dialog's disagree button closes the app with no second chance and no basic mode.

## What it does
Finds the first-run privacy UI (a dialog, activity or composable showing privacy-policy text with agree and
disagree actions) and its disagree handlers: a listener on a `disagree`/`refuse`/`reject`/`不同意`/`拒绝`
button, an `onDisagree =`/`onReject =` callback, a dialog's negative button, a Compose button labelled
不同意/拒绝/退出/Disagree, or a view whose layout text says so (`tvCloseApp.setOnClickListener` on the view
`@+id/tv_close_app` whose `android:text` is 不同意并退出, or 退出), a button that calls the dialog listener's
`noAgree()`/`disagree()`, the `no()`/`onCancel` of a callback handed to the consent UI
(`privacyPopup.setCallback(new PrivacyPopup.Callback() { … void no() { finish(); } })`), a
`case R.id.button_disagree:` of the screen's own `onClick(View v)`, or the
`!isAgree` side of a callback handed the answer (`PrivacyDialog(this) { isAgree
-> if (isAgree) … else finish() }`). Reports
an exit call (`finish()` when no other screen is opened, `finishAffinity()`,
`System.exit`, `exitProcess`, `Process.killProcess`, `moveTaskToBack(true)`) that the handler runs directly
or through project functions (two calls deep; the app's own exit helper deeper: `AppManager.getAppManager().AppExit()`
→ `finishAllActivity()` → each activity's `finish()`), rather than from a second dialog the user confirms (also a
privacy dialog of its own class that the first one's disagree button opens).

## Why is this bad?
Closing the app at once is acceptable to reviewers only when the basic function really needs personal
information. For the many app types whose basic function needs none (news, video, tools … — 13 of the 39
types in 《常见类型移动互联网应用程序必要个人信息范围规定》), refusing the policy must not cost the basic function
(第四条; 191号文 四.2 for non-necessary information). Stores accept a second explanation before exiting, and
expect a basic or guest mode where the app can work without personal information.

## Example
```kotlin
binding.disagree.setOnClickListener { finishAffinity() }
```

## Use instead
```kotlin
binding.disagree.setOnClickListener {
    MaterialAlertDialogBuilder(this)
        .setMessage(R.string.privacy_second_chance)          // what the user loses, and basic mode
        .setPositiveButton(R.string.read_again, null)
        .setNegativeButton(R.string.basic_mode) { _, _ -> PrivacyStore.setBasicMode(this, true); openMain() }
        .show()
}
```

## Fix safety
No automatic fix.

## Limitations
The disagree action is recognised by its name or label text; a button named unlike any of them is not
seen. Whether the basic function of the app needs personal information is not judged: apps of the app
types that need some may legitimately exit after a second explanation, which this rule accepts.

## References
- 《常见类型移动互联网应用程序必要个人信息范围规定》 第四条
- 191号文 四.2
- PIPL Art. 16
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.model.index import FnId
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import Handler, consent_uis, exits_in, say

META = RuleMeta(
    id="CF307",
    name="exit-on-consent-declined",
    category=Category.CONSENT_FLOW,
    severity=Severity.WARNING,
    summary="Disagreeing with the privacy policy closes the app with no second chance or basic mode",
    fix="On disagree, explain once more what the app does without consent and offer a basic mode; exit only if "
        "the user confirms and the basic function really needs personal information",
    references=("必要个人信息范围规定 第四条", "191号文 四.2", "PIPL Art. 16"),
    messages={
        "exits": "{handler} of the privacy UI `{ui}` closes the app with {how}: no second explanation and no basic "
                 "mode",
        # {how}
        "exit-call": "`{exit}`",
        "exit-via": "`{call}()` (which reaches `{exit}`)",
    },
)


def check(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[str, int]] = set()
    uis = consent_uis(ctx)
    for ui in uis:
        # A privacy UI that another one's disagree button opens (`PrivacysDialog` → `Privacy2Dialog`) is that UI's
        # second explanation: leaving from there is allowed.
        others = [h for other in uis if other is not ui for h in other.refuse]
        if others and set(ui.functions) & _second_chances(ctx, others):
            continue
        second = _second_chances(ctx, ui.refuse)
        for handler in ui.refuse:
            if handler.fid in second or _nested(handler, ui.refuse, ctx):
                continue  # a button of the second explanation that a disagree button opened
            sites = [s for s in ctx.index.sites_of(handler.fid) if handler.contains(s)]
            exits, opens = exits_in(ctx, handler.fid, sites, own=handler.inner)
            for ex in exits:
                if ex.site.name == "finish" and opens:
                    continue
                site, fid = (ex.via, handler.fid) if ex.via is not None else (ex.site, ex.fid)
                key = (ctx.path_of(fid), site.line)
                if key in seen:
                    continue
                seen.add(key)
                how = say(ctx, META, "exit-call", exit=ex.how) if ex.via is None else \
                    say(ctx, META, "exit-via", call=site.qualified, exit=ex.how)
                message = say(ctx, META, "exits", handler=handler.what, ui=ui.name, how=how)
                trace: tuple[TraceStep, ...] = ()
                if ex.via is not None:  # where the app closes: the line to change may be there
                    trace = (TraceStep(ctx.path_of(fid), site.line, f"`{handler.what.en}` calls `{site.qualified}`"),
                             TraceStep(ctx.path_of(ex.fid), ex.site.line, f"`{ex.site.qualified}` closes the app"))
                yield ctx.site_finding(META, fid, site, message, trace=trace)


def _second_chances(ctx: Context, handlers: list[Handler]) -> set[FnId]:
    """Functions that a disagree handler calls (two levels): dialogs they show are second explanations."""
    out: set[FnId] = set()
    todo = [(h.fid, site, 0) for h in handlers for site in ctx.index.sites_of(h.fid) if h.contains(site)]
    while todo:
        fid, site, depth = todo.pop()
        if site.kind not in ("call", "new"):
            continue
        for target, _how in ctx.index.resolve(fid, site):
            if target in out or target == fid:
                continue
            out.add(target)
            if depth < 1:
                todo += [(target, s, depth + 1) for s in ctx.index.sites_of(target)]
    return out


def _nested(handler: Handler, handlers: list[Handler], ctx: Context) -> bool:
    """The handler belongs to a dialog shown inside another disagree handler."""
    if handler.deferred is None:
        return False
    for site in ctx.index.sites_of(handler.fid):
        if handler.contains(site):
            outer = site.deferred[: site.deferred.index(handler.deferred)]
            # inside another handler's listener, or inside a `case R.id.disagree:` branch of the same function
            return any(h is not handler and h.fid == handler.fid and
                       (h.deferred in outer or (h.deferred is None and h.contains(site))) for h in handlers)
    return False
