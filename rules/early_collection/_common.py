"""Shared wording for the early-collection rules."""

from __future__ import annotations

from pipl_lint.i18n import Msg, join
from pipl_lint.model.consent import SiteState
from pipl_lint.model.reach import Reached


def path_notes(reached: Reached, state: SiteState) -> Msg:
    """`; `isMainProcess()` (line 3) is not a consent check` — why a guard on the path did not help."""
    notes = list(dict.fromkeys((*reached.notes, *state.notes)))[:2]
    if not notes:
        return Msg("")
    body = join(*notes, sep="; ", sep_zh="；")
    return Msg("; " + body.en, "；" + body.get("zh"))


def app_meta_data(ctx: object) -> dict[str, tuple[str | None, object]]:
    """`<meta-data>` under `<application>` in the app modules' manifests, except debug/test variants:
    name -> (value, element). The main manifest wins over flavour manifests."""
    out: dict[str, tuple[str | None, object]] = {}
    for m in ctx.app_manifests():
        if "/src/debug/" in f"/{m.path}" or "/src/test" in f"/{m.path}":
            continue
        for md in m.meta_data():
            if md.tools_node == "remove":
                continue
            out.setdefault(md.name, (md.value if md.value is not None else md.resource, md.element))
    return out


def removed_components(ctx: object) -> set[str]:
    """Components the app removes from the merged manifest with `tools:node="remove"`."""
    out: set[str] = set()
    for m in ctx.app_manifests():
        for c in m.components:
            if c.removed:
                out.add(c.cls)
    return out


def main_application(ctx: object) -> tuple[object, object] | None:
    """(manifest, <application> element) of the first app module's main manifest."""
    for m in ctx.app_manifests():
        if m.application is not None and "/src/debug/" not in f"/{m.path}":
            return m, m.application.element
    return None
