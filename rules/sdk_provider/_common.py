"""What the sdk-provider rules share: which sites read personal information, and message fragments."""

from __future__ import annotations

from pipl_lint.catalogs import ApiEntry
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId
from pipl_lint.model.sdk_modules import SdkModule, Switch, product_switches
from pipl_lint.model.summary import Site

# Identify no one alone (as for EC101, the inventory lists them): device model/OS, carrier name.
LOW_SENSITIVITY = ("device-model", "carrier", "clipboard")
QUERY_CALLS = frozenset({"query", "managedQuery", "CursorLoader"})


def pi_read(ctx: object, fid: FnId, site: Site) -> tuple[ApiEntry, str] | None:
    """The catalogued personal-information API a site reads, with how to name it."""
    api = ctx.apis.match(fid, site)  # type: ignore[attr-defined]
    if api is not None and api.kind in ("method", "field") and api.pi_kind and api.pi_kind not in LOW_SENSITIVITY:
        return api, f"{api.owner_simple}.{api.member}"
    if site.name in QUERY_CALLS and site.args:
        for ref in site.args[0].refs:
            uri = ctx.apis.uri_api(ref)  # type: ignore[attr-defined]
            if uri is not None and uri.pi_kind and uri.pi_kind not in LOW_SENSITIVITY:
                return uri, f"query({uri.member})"
    return None


def kind_label(ctx: object, api: ApiEntry) -> Msg:
    kind = ctx.catalog.pi_kinds[api.pi_kind or ""]  # type: ignore[attr-defined]
    return Msg(kind.label_en, kind.label_zh)


def switch_names(ctx: object, sdk: SdkModule) -> str:
    """`Tracker.setPrivacyAgreed`, … or "" when the SDK has no consent switch."""
    found: list[Switch] = product_switches(ctx, sdk)  # type: ignore[arg-type]
    names = list(dict.fromkeys(s.name for s in found))
    more = f" (+{len(names) - 3})" if len(names) > 3 else ""
    return ", ".join(f"`{n}`" for n in names[:3]) + more
