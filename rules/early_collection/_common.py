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
    """`<meta-data>` under `<application>` as the variant's merged manifest has it: name -> (value, element).
    Android's priority: the variant's build-type manifest over its flavours' over main (`ctx.variant_manifests`);
    a higher-priority `tools:node="remove"` (or `removeAll`) drops the element, `replace`/`merge` keep the
    higher-priority value, as without a marker."""
    out: dict[str, tuple[str | None, object]] = {}
    decided: set[str] = set()
    for m in ctx.variant_manifests():
        for md in m.meta_data():
            if md.name in decided:
                continue
            decided.add(md.name)
            if md.tools_node in ("remove", "removeAll"):
                continue
            out[md.name] = (md.value if md.value is not None else md.resource, md.element)
    return out


def removed_components(ctx: object) -> set[str]:
    """Components the variant removes from the merged manifest with `tools:node="remove"`."""
    out: set[str] = set()
    for m in ctx.variant_manifests():
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
