"""A refused permission is asked for again without the user asking: on refusal, on every resume, in a
loop, or after too short a wait.

## What it does
Reports a runtime permission request (any recognised form, also through project functions) that:

- runs in the refusal branch of a request's result callback (`onRequestPermissionsResult` with
  `PERMISSION_DENIED`, the `!granted` branch of an ActivityResult callback, PermissionX/XXPermissions/Dexter
  `onDenied`), directly or after a delay (`postDelayed`), rather than from a "try again" button the user
  taps — or sends the user to the app's system settings page there without asking;
- runs from `onResume`/`onStart`/`onRestart` of an activity or fragment (and what they call) without a check of
  a remembered refusal (a stored "denied at" time or flag, `PermissionMemory.mayAsk(...)`-style functions);
  a `checkSelfPermission` check is not a memory of the refusal; a field of the screen that its result callback
  sets (`if (!mHasCheckPermission)` with `mHasCheckPermission = true` in `onRequestPermissionsResult`) is one, for
  as long as the screen lives, and so is an Intent extra the same function removes after asking
  (`if (intent.getBooleanExtra(FROM_ONBOARDING, false)) { …; intent.removeExtra(FROM_ONBOARDING) }`: asked once);
- runs inside a loop;
- is guarded by a remembered refusal whose waiting time, when the code states it (`TimeUnit.HOURS.toMillis(24)`,
  `Duration.ofHours(24)`), is shorter than the configured minimum.

Configuration: `permissions.rerequest-interval-hours` (default 48) is the minimum wait after a refusal.

## Why is this bad?
Asking again after an explicit refusal is what 191号文 三.2 calls asking for consent frequently
("频繁征求用户同意"), and the 频繁申请权限 category of the MIIT campaigns (337号 (6); 164号 (二)5
APP强制、频繁、过度索取权限); test agencies check for a pop-up loop on refusal (T/TAF 078.4 不给权限APP弹窗循环).
Huawei AppGallery's review FAQ §5.4 rejects apps that keep asking for permissions, also when launched
again. Chinese stores commonly expect 48 hours before the same permission is asked again — store practice
(vivo/OPPO/Xiaomi reviewers), not a legal figure, hence configurable.

## Example
```kotlin
override fun onResume() {
    super.onResume()
    if (checkSelfPermission(Manifest.permission.ACCESS_FINE_LOCATION) != PackageManager.PERMISSION_GRANTED) {
        requestPermissions(arrayOf(Manifest.permission.ACCESS_FINE_LOCATION), REQ_LOCATION)   // every resume
    }
}
```

## Use instead
```kotlin
private val location = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
    if (granted) showLocalNews() else { PermissionMemory.recordDenial(this, LOCATION); showCityPicker() }
}

binding.localNews.setOnClickListener {
    if (PermissionMemory.mayAsk(this, LOCATION)) explainThen { location.launch(LOCATION) } else showCityPicker()
}
```

## Fix safety
No automatic fix.

## Limitations
Only refusal branches the linter can tell apart are seen: `if`/`else` on the result (`granted`,
`grantResults[i] == PERMISSION_GRANTED`, `PERMISSION_DENIED`) and the libraries' denial callbacks; a
`when (result)` with subject is not split. A remembered refusal is recognised by the names of what the
guard calls or reads (`denied`, `refused`, `asked`, `mayAsk`, `cooldown`, `interval`, `拒绝`…) or by a stored key of
that kind; a waiting time kept in a plain numeric constant is not measured. A request reached from `onResume`
only through another screen the resumed one opens (`startActivity`) is left to that screen's own lifecycle, and
one that a composable shows only in a branch on its UI state (`when (pendingRequest) { is X -> … }`,
`if (state.showScanner)`), or that sits in a function value kept for later (handed to a view model that stores
it), is not taken for a request on every resume.

## References
- 191号文 三.2
- 337号 (6) 频繁申请权限; 164号 (二)5
- T/TAF 078.4 (不给权限APP弹窗循环, 频繁申请权限)
- Huawei AppGallery review FAQ §5.4
"""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity
from pipl_lint.i18n import Msg
from pipl_lint.model.consent import is_user_deferred
from pipl_lint.model.index import FnId
from pipl_lint.model.reach import Entry, PreConsent, Reached
from pipl_lint.model.requests import PermissionRequest, refusal_branch
from pipl_lint.model.summary import Atom, Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    FRAGMENT_BASES,
    MEMORY,
    SCREEN_BASES,
    all_callbacks,
    asked_permissions,
    callers,
    composed_on_state,
    dangerous,
    fix_text,
    memo,
    memory_functions,
    names,
    perm_short,
    requests_reached,
    say,
    short,
    stored_for_later,
    value,
)

META = RuleMeta(
    id="CF305",
    name="permission-rerequest-after-denial",
    category=Category.CONSENT_FLOW,
    severity=Severity.ERROR,
    summary="A refused permission is asked for again on refusal, on resume, in a loop or too soon",
    fix="Remember the refusal with a timestamp; ask again only when the user starts the feature again, and not "
        "before the configured interval",
    references=("191号文 三.2", "337号 (6)", "164号 (二)5", "T/TAF 078.4", "Huawei AppGallery review FAQ §5.4"),
    messages={
        "on-refusal": "`{call}` asks for {permissions} again{later} in the refusal branch of {callback}",
        "later": " after `{delay}`",
        "result-callback": "the `{label}` result callback",
        "to-settings": "`{call}` sends the user to the system settings as soon as they refuse ({callback})",
        "on-resume": "`{call}` asks for {permissions} from {entry} with no check of an earlier refusal: a refused "
                     "permission is asked again every time the screen shows",
        "in-loop": "`{call}` asks for {permissions} inside a loop: one dialog after another",
        "too-soon": "`{call}` asks for {permissions} again {hours} after a refusal; the configured minimum is "
                    "{minimum}",
        "hours": "{hours} h",
    },
    fixes={
        "remember": "Store the refusal with a timestamp and ask again only when the user starts the feature again, at "
                    "least {interval} later (`permissions.rerequest-interval-hours`)",
        "accept-refusal": "Accept the refusal: degrade the feature, and offer the settings page only from a button the "
                          "user taps",
    },
)

RESUME = ("onResume", "onStart", "onRestart", "onPostResume")
EXTRA_READS = frozenset({"getBooleanExtra", "hasExtra", "getStringExtra", "getIntExtra"})
DELAYS = ("postDelayed", "sendEmptyMessageDelayed", "sendMessageDelayed", "schedule", "delay", "postAtTime")
SETTINGS_ACTIONS = ("ACTION_APPLICATION_DETAILS_SETTINGS", "APPLICATION_DETAILS_SETTINGS",
                    "ACTION_MANAGE_APP_PERMISSIONS")
UNIT_HOURS = {"HOURS": 1.0, "DAYS": 24.0, "MINUTES": 1 / 60, "SECONDS": 1 / 3600}
DURATION_HOURS = {"ofHours": 1.0, "ofDays": 24.0, "ofMinutes": 1 / 60, "ofSeconds": 1 / 3600}


def check(ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[str, int]] = set()
    for finding in (*_on_refusal(ctx), *_on_resume(ctx), *_in_loop(ctx), *_too_soon(ctx)):
        key = (finding.path, finding.span.line)
        if key not in seen:
            seen.add(key)
            yield finding


def _asked(ctx: Context, req: PermissionRequest) -> Msg:
    return asked_permissions(ctx, req) if req.unresolved else \
        names([perm_short(p) for p in dangerous(ctx, req.permissions) or req.permissions], code=True)


# --- in the refusal branch ------------------------------------------------------------------------------

def _on_refusal(ctx: Context) -> Iterator[Finding]:
    for cb, _req in all_callbacks(ctx):
        fn = ctx.index.function(cb.fid)
        where = f"{short(fn.owner)}.{fn.name}" if cb.deferred is None else \
            say(ctx, META, "result-callback", label=cb.label)
        for site in cb.sites(ctx.index):
            if not refusal_branch(site, cb):
                continue
            inner = cb.inner(site)
            if any(is_user_deferred(d) for d in inner):
                continue  # a "try again" button the user taps
            delayed = next((d.call for d in inner if d.call in DELAYS), "")
            later = say(ctx, META, "later", delay=delayed) if delayed else ""
            for again, _via in requests_reached(ctx, cb.fid, site):
                if any(_memory_atom(ctx, a) for g in again.site.guards for a in g.atoms):
                    continue  # asks only once the remembered refusal allows it
                message = say(ctx, META, "on-refusal", call=site.qualified, permissions=_asked(ctx, again),
                                  later=later, callback=where)
                yield ctx.site_finding(META, cb.fid, site, message, fix=_fix(ctx))
            if _opens_settings(site):
                message = say(ctx, META, "to-settings", call=site.qualified, callback=where)
                yield ctx.site_finding(META, cb.fid, site, message, fix=fix_text(ctx, META, "accept-refusal"))


def _opens_settings(site: Site) -> bool:
    if site.kind not in ("call", "new") or site.name.rsplit(".", 1)[-1] != "Intent":
        return False
    return any(ref.rsplit(".", 1)[-1] in SETTINGS_ACTIONS for arg in site.args for ref in arg.refs) or \
        any(s.endswith(SETTINGS_ACTIONS) for arg in site.args for s in arg.strings)


# --- from onResume / onStart ------------------------------------------------------------------------------

def _on_resume(ctx: Context) -> Iterator[Finding]:
    requests = [req for req in ctx.permission_requests if not ctx.consent.state(req.site).user_action]
    if not requests:
        return  # (without walking from every screen's resume)
    reach = _resume_reach(ctx)
    for req in requests:
        reached = reach.reached.get(req.fid)
        if reached is None:
            continue
        atoms = list(_path_atoms(reach, reached, req.site))
        if any(_memory_atom(ctx, a) for a in atoms) or any(_answer_flag(ctx, req.fid, a) for a in atoms) or \
                _one_shot_extra(ctx, req, atoms):
            continue
        hops = reach.hops(reached)
        if any(h.via is not None and h.via.how == "component" for h in hops):
            continue  # the resumed screen opens another one: that screen's own resume is judged on its own
        if composed_on_state(ctx, reach, reached) is not None or stored_for_later(ctx, req.fid, req.site):
            continue  # composed only when the UI state asks for it / kept for later: not on every resume
        message = say(ctx, META, "on-resume", call=req.site.qualified, permissions=_asked(ctx, req),
                          entry=reached.entry.note)
        trace = reach.trace(reached, req.site, f"`{req.site.qualified}`")
        yield ctx.site_finding(META, req.fid, req.site, message, fix=_fix(ctx), trace=trace)


def _resume_reach(ctx: Context) -> PreConsent:
    def build() -> PreConsent:
        index = ctx.index
        entries = []
        for fqn, (decl, fi) in index.classes.items():
            if decl.kind != "class" or not index.is_subtype(fqn, *SCREEN_BASES, *FRAGMENT_BASES):
                continue
            for name in RESUME:
                for fid in index.members.get((fqn, name), ()):
                    entries.append(Entry(fid, "resume", f"`{decl.name}.{name}`", index.files[fi].path,
                                         index.function(fid).line))
        return PreConsent(index, ctx.consent, entries, stop_at_consent=False)

    return memo(ctx, "resume_reach", build)


def _path_atoms(reach: PreConsent, reached: Reached, site: Site) -> Iterator[Atom]:
    for g in site.guards:
        yield from g.atoms
    for hop in reversed(reach.hops(reached)):
        if hop.via is not None and hop.via.site is not None:
            for g in hop.via.site.guards:
                yield from g.atoms


def _memory_atom(ctx: Context, atom: Atom) -> bool:
    texts = [*atom.names, *atom.strings, *(c.rsplit(".", 1)[-1] for c in atom.calls)]
    if any(MEMORY.search(t.lower()) for t in texts):
        return True
    return any(fid in memory_functions(ctx) for call in atom.calls
               for fid in ctx.index.by_name.get(call.rsplit(".", 1)[-1], ()))


def _one_shot_extra(ctx: Context, req: PermissionRequest, atoms: list[Atom]) -> bool:
    """The request runs only while the screen's Intent carries an extra that the same function then removes
    (`if (intent.getBooleanExtra(FROM_ONBOARDING, false)) { launch(…); intent.removeExtra(FROM_ONBOARDING) }`):
    it is asked once, not on every resume."""
    removed = {a.text.strip() for s in ctx.index.sites_of(req.fid) if s.name == "removeExtra" for a in s.args[:1]}
    if not removed:
        return False
    return any(a.positive and any(c.rsplit(".", 1)[-1] in EXTRA_READS for c in a.calls) and
               any(key in a.text for key in removed) for a in atoms)


def _answer_flag(ctx: Context, fid: FnId, atom: Atom) -> bool:
    """The atom tests a field of the requesting class that its permission result callback also uses
    (`if (!mHasCheckPermission) requestPermissions(…)` with `mHasCheckPermission = true` in
    `onRequestPermissionsResult`): the answer is remembered for as long as the screen lives."""
    owner = ctx.index.function(fid).owner
    decl = ctx.index.class_of(owner)
    if decl is None:
        return False
    fields = {name for name, _type in decl.fields} & set(atom.names)
    if not fields:
        return False
    for cb, _perms in all_callbacks(ctx):
        if ctx.index.function(cb.fid).owner != owner:
            continue
        fs = ctx.index.files[cb.fid.file]
        refs = fs.refs[cb.fid.index] if cb.fid.index < len(fs.refs) else ()
        if any(name in fields for name, _line in refs):
            return True
    return False


# --- in a loop -----------------------------------------------------------------------------------------------

def _in_loop(ctx: Context) -> Iterator[Finding]:
    for req in ctx.permission_requests:
        if req.site.in_loop:
            message = say(ctx, META, "in-loop", call=req.site.qualified, permissions=_asked(ctx, req))
            yield ctx.site_finding(META, req.fid, req.site, message, fix=_fix(ctx))


# --- a remembered refusal that is forgotten too soon -----------------------------------------------------

def _too_soon(ctx: Context) -> Iterator[Finding]:
    minimum = ctx.config.rerequest_interval_hours
    for req in ctx.permission_requests:
        for atom in _guard_atoms(ctx, req.fid, req.site, depth=0):
            hours = _interval(ctx, atom)
            if hours is not None and hours < minimum:
                message = say(ctx, META, "too-soon", call=req.site.qualified, permissions=_asked(ctx, req),
                                  hours=_hours(ctx, hours), minimum=_hours(ctx, minimum))
                yield ctx.site_finding(META, req.fid, req.site, message, fix=_fix(ctx))
                break


def _guard_atoms(ctx: Context, fid: FnId, site: Site, depth: int) -> Iterator[Atom]:
    for g in site.guards:
        yield from g.atoms
    if depth < 2:
        for caller, call in callers(ctx, fid):
            yield from _guard_atoms(ctx, caller, call, depth + 1)


def _interval(ctx: Context, atom: Atom) -> float | None:
    """The waiting time stated next to the remembered refusal an atom checks (hours), when the code says it."""
    for call in atom.calls:
        for fid in ctx.index.by_name.get(call.rsplit(".", 1)[-1], ()):
            if fid not in memory_functions(ctx) and not MEMORY.search(call.lower()):
                continue
            owner = ctx.index.function(fid).owner
            for f in [fid, *ctx.index.initialisers(owner)]:
                for site in ctx.index.sites_of(f):
                    hours = _duration(site)
                    if hours is not None:
                        return hours
    return None


def _duration(site: Site) -> float | None:
    """`TimeUnit.HOURS.toMillis(24)` → 24; `Duration.ofDays(1)` → 24."""
    if site.kind != "call" or not site.args:
        return None
    number = value(site.args[0]).rstrip("LlFf").replace("_", "")
    if not number.isdigit():
        return None
    unit = (site.receiver or "").rsplit(".", 1)[-1]
    if site.name.startswith("to") and unit in UNIT_HOURS:
        return int(number) * UNIT_HOURS[unit]
    if site.name in DURATION_HOURS and (site.receiver or "").endswith("Duration"):
        return int(number) * DURATION_HOURS[site.name]
    return None


def _hours(ctx: Context, hours: float) -> Msg:
    return say(ctx, META, "hours", hours=f"{hours:g}")


def _fix(ctx: Context) -> Msg:
    return fix_text(ctx, META, "remember", interval=_hours(ctx, ctx.config.rerequest_interval_hours))
