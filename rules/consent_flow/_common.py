"""What the consent-flow rules share beyond the consent-flow model (`pipl_lint.model.consent_flow`, re-exported
here): where the project-level findings are placed, what the app collects (for messages), the permission
requests that run at startup and their result callbacks, remembered refusals, and small text helpers.

Results are computed once per Context and shared between the rules (`memo`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipl_lint.findings import Span, TraceStep
from pipl_lint.i18n import Msg, tidy
from pipl_lint.model.consent import PREFS_READS, is_user_deferred
from pipl_lint.model.consent_flow import (  # noqa: F401 - the consent-flow model, shared by the rules
    AGREEMENT_TEXT,
    FRAGMENT_BASES,
    POLICY_TEXT,
    POSITIVE_CALLS,
    SCREEN_BASES,
    START_CALLS,
    ConsentUi,
    Exit,
    Handler,
    arg_texts,
    before_consent,
    callers,
    collection_choices,
    collection_key,
    collection_store,
    collection_writes,
    composed_on_state,
    consent_platform,
    consent_uis,
    element_texts,
    exits_in,
    functions_of,
    is_fixed,
    is_literal,
    layout_names,
    memo,
    on_user_action,
    only_uses,
    requests_at_startup,
    res_text,
    short,
    startup,
    startup_screens,
    stored_for_later,
    string_refs,
    value,
)
from pipl_lint.model.index import FnId
from pipl_lint.model.matching import LOW_SENSITIVITY
from pipl_lint.model.requests import PermissionRequest, ResultCallback
from pipl_lint.model.summary import Deferred, Site
from pipl_lint.ruleapi import Context, RuleMeta


def say(ctx: Context, meta: RuleMeta, key: str, **params: object) -> Msg:
    """`ctx.say`, tidied."""
    return tidy(ctx.say(meta, key, **params))


def fix_text(ctx: Context, meta: RuleMeta, key: str, **params: object) -> Msg:
    """`ctx.fix_text`, tidied."""
    return tidy(ctx.fix_text(meta, key, **params))


def names(items: Iterable[str | Msg], limit: int = 3, code: bool = False) -> Msg:
    """A, B and C / A, B, C and 2 more (in backticks with `code`); in Chinese A、B 和 C / A、B、C 及另外 2 项."""
    msgs = [i if isinstance(i, Msg) else Msg(i) for i in dict.fromkeys(items)]
    shown = [Msg(f"`{m.en}`", f"`{m.get('zh')}`") if code else m for m in msgs[:limit]]
    en = [m.en for m in shown]
    zh = [m.get("zh") for m in shown]
    if len(msgs) > limit:
        more = len(msgs) - limit
        return Msg(", ".join(en) + f" and {more} more", "、".join(zh) + f" 及另外 {more} 项")
    if len(shown) > 1:
        return Msg(", ".join(en[:-1]) + " and " + en[-1], "、".join(zh[:-1]) + " 和 " + zh[-1])
    return shown[0] if shown else Msg("")


def perm_short(permission: str) -> str:
    return permission.rsplit(".", 1)[-1]


def asked_permissions(ctx: Context, req: PermissionRequest) -> Msg:
    """The dangerous permissions a request asks for, in backticks; for a request whose permissions could not be
    resolved, "permissions that could not be resolved (`expr`)"; "" when it asks for no dangerous one."""
    if req.unresolved:
        return Msg(f"permissions that could not be resolved (`{req.unresolved}`)",
                   f"无法解析的权限（`{req.unresolved}`）")
    return names([perm_short(p) for p in dangerous(ctx, req.permissions)], code=True)


# --- where project-level findings go ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Anchor:
    path: str
    span: Span


def app_anchor(ctx: Context) -> Anchor | None:
    """The Application class declaration, else the launcher activity's class, else its manifest element."""
    def memoised() -> Anchor | None:
        manifests = ctx.app_manifests()
        classes = [m.application.cls for m in manifests if m.application is not None and m.application.cls]
        classes += [fqn for fqn in ctx.index.classes if ctx.index.is_subtype(fqn, "android.app.Application")]
        for m in manifests:
            for c in m.launcher_activities():
                target = c.target_activity if c.kind == "activity-alias" else c.cls
                if target:
                    classes.append(target)
        for fqn in classes:
            entry = ctx.index.classes.get(fqn)
            if entry is not None:
                decl, fi = entry
                return Anchor(ctx.index.files[fi].path, Span(decl.line, decl.column, decl.line, decl.column + 1))
        for m in manifests:
            for c in m.launcher_activities():
                return Anchor(m.path, ctx.element_span(c.element))
            if m.application is not None:
                return Anchor(m.path, ctx.element_span(m.application.element))
        return None

    return memo(ctx, "app_anchor", memoised)



def dangerous(ctx: Context, permissions: Iterable[str]) -> list[str]:
    out = []
    for p in permissions:
        perm = ctx.catalog.permission(p)
        if perm is not None and perm.dangerous:
            out.append(p)
    return out


def necessary(ctx: Context, permission: str) -> bool | None:
    """True/False when an app category is configured and says whether the permission's PI is necessary for
    the basic function; None without a category (or for a permission that reads no catalogued PI)."""
    if not ctx.config.app_category:
        return None
    app_type = ctx.catalog.app_type(ctx.config.app_category)
    perm = ctx.catalog.permission(permission)
    if app_type is None or perm is None:
        return None
    if perm.pi_kind is None:
        return None
    return perm.pi_kind in app_type.necessary_pi_kinds


def category_name(ctx: Context) -> str:
    """The configured app category's Chinese name (新闻资讯类), or "" without one."""
    app_type = ctx.catalog.app_type(ctx.config.app_category) if ctx.config.app_category else None
    return app_type.name_zh if app_type is not None else ""


# --- what collects --------------------------------------------------------------------------------------------

def collection_switch_written(ctx: Context) -> bool:
    """Somewhere the app stores a data-collection setting from a value the caller passes, not a literal
    (`putBoolean(PREF_CRASH_REPORTING_DISABLED, !enabled)`, `setAnalyticsEnabled(enabled)`): a switch the user
    sets."""
    def build() -> bool:
        return any(not is_fixed(value(arg)) for _fid, _site, arg, _negated in collection_writes(ctx))

    return memo(ctx, "collection_switch_written", build)


def outside_china(ctx: Context) -> bool:
    """The app is distributed only outside China (`google-play`, `elsewhere`)."""
    return ctx.config.distribution in ("google-play", "elsewhere")


def consent_expected(ctx: Context) -> bool:
    """The app is expected to ask for consent at all: distributed in China (MIIT's first-run prompt, whatever the
    legal basis), or elsewhere with a catalogued data SDK shipping in it (data goes to a third party). An app
    distributed only outside China whose own code reads personal information for the feature the user opens asks
    with runtime permissions and discloses it in its policy: it has no consent to gate or to withdraw."""
    return not outside_china(ctx) or any(True for _ in ctx.sdks)



PROPER = frozenset({"Android", "Bluetooth", "Wi-Fi", "Google"})


def what_collects(ctx: Context, brief: bool = False) -> tuple[Msg, list[TraceStep]]:
    """What collects personal information in the app ("5 data SDKs (Umeng, JPush, Bugly …), code that reads
    the IMEI …"; only the first part with `brief`), with where each was found; ("", []) when nothing does."""
    parts, trace = memo(ctx, "what_collects", lambda: _what_collects(ctx))
    if brief:
        parts = parts[:1]
    if not parts:
        return Msg(""), trace
    what = names(parts, limit=len(parts))
    return Msg(what.en[:1].upper() + what.en[1:], what.zh), trace


def _what_collects(ctx: Context) -> tuple[list[Msg], list[TraceStep]]:
    sdks: list[str] = []
    trace: list[TraceStep] = []
    for found in ctx.sdks:
        sdk = ctx.catalog.sdk(found.sdk_id)
        if sdk.name not in sdks:
            sdks.append(sdk.name)
            if len(trace) < 3:
                trace.append(TraceStep(found.path, found.line, f"{sdk.name} ({found.coordinate})"))
    found_kinds: dict[str, TraceStep] = {}
    for fid, site in ctx.sites(*sorted(ctx.apis.names())):
        api = ctx.apis.match(fid, site)
        if api is None or api.pi_kind in (None, "clipboard", *LOW_SENSITIVITY) or api.pi_kind in found_kinds:
            continue
        label = _label(ctx, api.pi_kind)
        found_kinds[api.pi_kind] = TraceStep(ctx.path_of(fid), site.line, f"`{site.qualified}` reads {label.en}")
    order = list(ctx.catalog.pi_kinds)
    kinds = [_label(ctx, k) for k in sorted(found_kinds, key=order.index)]
    trace += [found_kinds[k] for k in sorted(found_kinds, key=order.index)][:3]
    asks = False
    for req in ctx.permission_requests:
        # Only permissions that give access to personal information (not e.g. POST_NOTIFICATIONS).
        if any(getattr(ctx.catalog.permission(p), "pi_kind", None) for p in dangerous(ctx, req.permissions)):
            asks = True
            trace.append(TraceStep(ctx.path_of(req.fid), req.site.line,
                                   f"`{req.site.qualified}` asks for runtime permissions"))
            break
    parts: list[Msg] = []
    if sdks:
        listed = names([_plain(n) for n in sdks])
        parts.append(Msg(f"{len(sdks)} data SDK{'s' if len(sdks) > 1 else ''} ({listed.en})",
                         f"{len(sdks)} 个数据 SDK（{listed.get('zh')}）"))
    if kinds:
        listed = names(kinds)
        parts.append(Msg(f"code that reads {listed.en}", f"读取{listed.get('zh')}的代码"))
    if asks:
        parts.append(Msg("runtime permission requests", "运行时权限申请"))
    return parts, trace[:8]


def _label(ctx: Context, kind: str) -> Msg:
    found = ctx.catalog.pi_kinds[kind]
    label = found.label_en
    first = label.split(" ", 1)[0]
    en = label if first in PROPER or not label[1:2].islower() else label[:1].lower() + label[1:]
    return Msg(en, found.label_zh)


def _plain(name: str) -> str:
    """`JPush (极光推送)` → `JPush`; `Umeng U-App / U-APM / U-Share (友盟+)` → `Umeng U-App`."""
    return name.split(" (", 1)[0].split(" / ", 1)[0]


# --- result callbacks ---------------------------------------------------------------------------------------

def all_callbacks(ctx: Context) -> list[tuple[ResultCallback, tuple[str, ...]]]:
    """Every result callback once, with the permissions of the requests that lead to it (several requests when a
    class registers several launchers the linter cannot tell apart); `onRequestPermissionsResult` overrides that no
    request in the project points to come with no permissions."""
    def build() -> list[tuple[ResultCallback, tuple[str, ...]]]:
        table: dict[tuple[FnId, Deferred | None], tuple[ResultCallback, list[str]]] = {}
        for req in ctx.permission_requests:
            for cb in req.callbacks:
                entry = table.setdefault((cb.fid, cb.deferred), (cb, []))
                entry[1].extend(p for p in req.permissions if p not in entry[1])
        for cb in ctx.request_finder.result_overrides():
            table.setdefault((cb.fid, cb.deferred), (cb, []))
        return [(cb, tuple(perms)) for cb, perms in table.values()]

    return memo(ctx, "all_callbacks", build)


def requests_by_site(ctx: Context) -> dict[tuple[FnId, int], PermissionRequest]:
    return memo(ctx, "requests_by_site", lambda: {r.key: r for r in ctx.permission_requests})


def request_functions(ctx: Context) -> dict[FnId, list[PermissionRequest]]:
    def build() -> dict[FnId, list[PermissionRequest]]:
        table: dict[FnId, list[PermissionRequest]] = {}
        for r in ctx.permission_requests:
            table.setdefault(r.fid, []).append(r)
        return table

    return memo(ctx, "request_functions", build)


def requests_reached(ctx: Context, fid: FnId, site: Site, depth: int = 2) -> list[tuple[PermissionRequest, Site]]:
    """Requests that `site` makes itself or through project functions it calls (not inside their listeners)."""
    found = requests_by_site(ctx).get((fid, site.start))
    if found is not None:
        return [(found, site)]
    by_fn = request_functions(ctx)
    out: list[tuple[PermissionRequest, Site]] = []
    todo = [(t, 1) for t, _how in ctx.index.resolve(fid, site)] if site.kind in ("call", "new", "reference") else []
    seen: set[FnId] = set()
    while todo:
        target, level = todo.pop()
        if target in seen:
            continue
        seen.add(target)
        for req in by_fn.get(target, ()):
            if not any(is_user_deferred(d) for d in req.site.deferred):
                out.append((req, site))
        if level < depth:
            for s in ctx.index.sites_of(target):
                if s.kind in ("call", "new") and not any(is_user_deferred(d) for d in s.deferred):
                    todo += [(t, level + 1) for t, _how in ctx.index.resolve(target, s)]
    return out


# --- remembered refusals ----------------------------------------------------------------------------------

# Names of what a guard reads that show a remembered refusal (identifiers, keys, functions), lower-cased.
MEMORY = re.compile(r"deni|refus|reject|asked|toask|mayask|canask|shouldask|canrequest|shouldrequest|"
                    r"requested|lastrequest|last_request|requestat|request_at|cooldown|cool_down|interval|拒绝")


def memory_functions(ctx: Context) -> set[FnId]:
    """Project functions that read a stored refusal (a prefs/MMKV key naming a denial, an ask time …)."""
    def build() -> set[FnId]:
        out: set[FnId] = set()
        reads = [name for name in ctx.index.by_site_name if name in PREFS_READS or name.startswith("decode")]
        for fid, site in ctx.sites(*reads):
            if fid in out:
                continue
            keys = [s for a in site.args for s in a.strings] + [r for a in site.args for r in a.refs]
            if any(MEMORY.search(k.lower()) for k in keys):
                out.add(fid)
        return out

    return memo(ctx, "memory_functions", build)


