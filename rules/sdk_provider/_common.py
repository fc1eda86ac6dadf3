"""What the sdk-provider rules share: which sites read personal information, and message fragments."""

from __future__ import annotations

from collections.abc import Iterator

from pipl_lint.catalogs import ApiEntry
from pipl_lint.i18n import Msg
from pipl_lint.model.index import FnId
from pipl_lint.model.matching import LOW_SENSITIVITY, QUERY_CALLS
from pipl_lint.model.reach import PreConsent, Reached
from pipl_lint.model.sdk_modules import SdkModule, Switch, memo, product_switches
from pipl_lint.model.summary import Site
from pipl_lint.ruleapi import Context

# Not reported, as for EC101: the kinds that identify no one alone, and the clipboard (EC106's, on the app side).
NOT_REPORTED = (*LOW_SENSITIVITY, "clipboard")
# `InetAddress.getHostAddress` is the device's IP address only on an address of a local interface: the function
# enumerates them (`NetworkInterface.getNetworkInterfaces()…getInetAddresses()`, `InetAddress.getLocalHost()`).
# Elsewhere it formats the address of a server the SDK looked up (`InetAddress.getByName(url.host)`).
LOCAL_ADDRESS_CALLS = frozenset({"getNetworkInterfaces", "getInetAddresses", "getInterfaceAddresses", "getLocalHost",
                                 "getByInetAddress", "getByName"})
SERVER_LOOKUPS = frozenset({"getByName", "getAllByName"})


def pi_read(ctx: Context, fid: FnId, site: Site) -> tuple[ApiEntry, str] | None:
    """The catalogued personal-information API a site reads, with how to name it."""
    api = ctx.apis.match(fid, site)
    if api is not None and api.kind == "method" and _project_call(ctx, fid, site):
        return None  # `tracker.getDeviceId()`, `startRecording(percent)`: the SDK's own function of that name
    if api is not None and api.member == "getHostAddress" and not _local_address(ctx, fid):
        return None
    if api is not None and api.kind in ("method", "field") and api.pi_kind and api.pi_kind not in NOT_REPORTED:
        return api, f"{api.owner_simple}.{api.member}"
    if site.name in QUERY_CALLS and site.args:
        for ref in site.args[0].refs:
            uri = ctx.apis.uri_api(ref)
            if uri is not None and uri.pi_kind and uri.pi_kind not in NOT_REPORTED:
                return uri, f"query({uri.member})"
    return None


def may_read(ctx: Context, site: Site) -> bool:
    """The name test `pi_read` starts with: False means it finds nothing."""
    return ctx.apis.may_match(site) or site.name in QUERY_CALLS


def _project_call(ctx: Context, fid: FnId, site: Site) -> bool:
    """The call resolves to a function of the project (by its receiver's type or the caller's class), not to
    the framework API of the same name."""
    index = ctx.index
    if any(how != "by-name" for _target, how in index.resolve(fid, site)):
        return True
    # A receiver whose type nothing tells (`trackerContext.getDeviceInfoProvider().getDeviceId()`) when the
    # project declares a function of that name and arity: the framework call has a typed receiver (`tm`).
    if site.rtype is None and site.receiver and not site.static:
        return (site.name, len(site.args)) in _project_names(ctx)
    return False


def _project_names(ctx: Context) -> frozenset[tuple[str, int]]:
    index = ctx.index
    return memo(ctx, "project_function_names",
                lambda: frozenset((index.function(f).name, len(index.function(f).params))
                                  for f in index.all_functions()))


def _local_address(ctx: Context, fid: FnId) -> bool:
    """The function takes addresses from the device's own interfaces, not (only) from a server lookup."""
    names = {s.name for s in ctx.index.sites_of(fid)}
    return bool(names & (LOCAL_ADDRESS_CALLS - SERVER_LOOKUPS))


def sdk_reads(ctx: Context, sdk: SdkModule, walk: PreConsent) -> Iterator[tuple[Reached, Site, str, Msg]]:
    """(where, the site, how to name the call, the PI kind's label) for every personal-information read in the
    SDK's own code that `walk` reaches with no consent check on the way."""
    for reached, site, _state in walk.open_sites(lambda fid, s: sdk.owns(fid) and may_read(ctx, s)):
        hit = pi_read(ctx, reached.fid, site)
        if hit is not None:
            api, call = hit
            yield reached, site, call, kind_label(ctx, api)


def kind_label(ctx: Context, api: ApiEntry) -> Msg:
    kind = ctx.catalog.pi_kinds[api.pi_kind or ""]
    return Msg(kind.label_en, kind.label_zh)


def switch_names(ctx: Context, sdk: SdkModule) -> str:
    """`Tracker.setPrivacyAgreed`, … or "" when the SDK has no consent switch."""
    found: list[Switch] = product_switches(ctx, sdk)
    names = list(dict.fromkeys(s.name for s in found))
    more = f" (+{len(names) - 3})" if len(names) > 3 else ""
    return ", ".join(f"`{n}`" for n in names[:3]) + more
