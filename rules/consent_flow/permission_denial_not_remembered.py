"""The app asks for runtime permissions but never remembers that the user refused.

## What it does
When the project requests dangerous permissions, looks for a stored refusal anywhere: a SharedPreferences /
MMKV / DataStore write (or a call to a project function that makes one) in the refusal branch of a request's
result callback, a read of a stored refusal (`denied`, `refused`, `asked`, `拒绝`, a "denied at" time), or a
request made only on one side of `shouldShowRequestPermissionRationale` (the refusal the system keeps: after one,
the app shows its rationale instead of asking straight away).
Reports the project once, at the Application class, listing the requests, when there is none.

## Why is this bad?
Without a record of the refusal the app cannot keep from asking again on the next launch or visit — the
repeated asking that 191号文 三.2 and the MIIT campaigns' 频繁申请权限 category (337号 (6)) name, and that stores
check against a waiting time (48 hours in common store practice, `permissions.rerequest-interval-hours`).

## Example
```kotlin
private val camera = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
    if (granted) openScanner() else toast(R.string.camera_needed)     // forgotten at once
}
```

## Use instead
```kotlin
private val camera = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
    if (granted) openScanner() else PermissionMemory.recordDenial(this, Manifest.permission.CAMERA)
}
```

## Fix safety
No automatic fix.

## Limitations
Informational: one stored refusal anywhere in the project satisfies the rule, whether or not every request
uses it; refusals kept in memory only (a field) do not count. Refusal branches are recognised as described
for `permission-rerequest-after-denial`.

## References
- 191号文 三.2
- 337号 (6) 频繁申请权限
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipl_lint.findings import Category, Finding, Severity, TraceStep
from pipl_lint.model.index import FnId
from pipl_lint.model.requests import PermissionRequest, refusal_branch
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context, RuleMeta
from pipl_lint.rules.consent_flow._common import (
    all_callbacks,
    app_anchor,
    dangerous,
    memory_functions,
    names,
    perm_short,
    say,
)

META = RuleMeta(
    id="CF316",
    name="permission-denial-not-remembered",
    category=Category.CONSENT_FLOW,
    severity=Severity.INFO,
    summary="Refused runtime permissions are never remembered",
    fix="Store each refusal with a timestamp in the result callback and check it before asking again",
    references=("191号文 三.2", "337号 (6)"),
    messages={
        "not-stored": "The app asks for {permissions} ({count} requests) but never stores a refusal, so it cannot "
                      "avoid asking again",
        "not-stored-one": "The app asks for {permissions} ({count} request) but never stores a refusal, so it cannot "
                          "avoid asking again",
    },
)

RATIONALE_CHECK = re.compile(r"shouldShow(RequestPermission)?Rationale")
STORE_CALLS = frozenset({"putLong", "putBoolean", "putInt", "putString", "putStringSet", "encode", "edit", "set",
                         "setValue", "updateData", "commit", "apply"})


def check(ctx: Context) -> Iterator[Finding]:
    requests = [r for r in ctx.permission_requests if dangerous(ctx, r.permissions)]
    if not requests or memory_functions(ctx) or _stored_on_refusal(ctx) or _system_memory(requests):
        return
    anchor = app_anchor(ctx)
    if anchor is None:
        return
    asked = names(sorted({perm_short(p) for r in requests for p in dangerous(ctx, r.permissions)}), limit=4,
                  code=True)
    message = say(ctx, META, "not-stored" if len(requests) > 1 else "not-stored-one", permissions=asked,
                      count=len(requests))
    trace = tuple(TraceStep(ctx.path_of(r.fid), r.site.line, f"`{r.site.qualified}`") for r in requests[:4])
    yield ctx.finding(META, anchor.path, anchor.span, message, trace=trace, anchor="denial-memory")


def _system_memory(requests: list[PermissionRequest]) -> bool:
    """A request runs only on one side of `shouldShowRequestPermissionRationale` (`if (shouldShow…) { showRationale();
    return }`, Accompanist's `status.shouldShowRationale`): the app reads the refusal the system keeps, and after one
    it explains instead of asking straight away."""
    return any(RATIONALE_CHECK.search(a.text) for r in requests for g in r.site.guards for a in g.atoms)


def _stored_on_refusal(ctx: Context) -> bool:
    for cb, _req in all_callbacks(ctx):
        for site in cb.sites(ctx.index):
            if refusal_branch(site, cb) and _stores(ctx, cb.fid, site, 0, set()):
                return True
    return False


def _stores(ctx: Context, fid: FnId, site: Site, depth: int, seen: set[FnId]) -> bool:
    if site.kind == "call" and site.name in STORE_CALLS:
        return True
    if depth >= 2 or site.kind not in ("call", "new"):
        return False
    for target, _how in ctx.index.resolve(fid, site):
        if target in seen:
            continue
        seen.add(target)
        if any(_stores(ctx, target, s, depth + 1, seen) for s in ctx.index.sites_of(target)):
            return True
    return False
