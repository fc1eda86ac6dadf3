"""The SDK disclosure sheet of `pipl-lint report --sdk`: what a host app must put in its third-party SDK list.

Per SDK module (model/sdk_modules.py): name, provider and version from the publication, the personal information
its code reads (kind, API, purpose to be completed), the permissions its manifest merges into hosts, its consent
switch, pre-init and opt-out APIs. Rendered as JSON, Markdown (the app report's table helpers) and one
self-contained HTML page (the app report's style and escaping), in Chinese or English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipl_lint import __version__
from pipl_lint.compliance import html as H
from pipl_lint.compliance import labels as L
from pipl_lint.compliance.markdown import cell
from pipl_lint.compliance.markdown import table as markdown_table
from pipl_lint.compliance.table import Row, Table
from pipl_lint.model.sdk_modules import OPT_OUT, PRE_INIT, is_public_api, sdk_modules, switches

SDK_FORMATS = ("json", "markdown", "html")


def word(lang: str, key: str) -> str:
    return L.pick(L.SDK_SHEET, lang, key)


@dataclass(frozen=True, slots=True)
class Collected:
    kind: str  # pi kind id
    kind_label: tuple[str, str]  # (en, zh)
    api: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Merged:
    name: str
    protection: str
    used: bool


@dataclass(frozen=True, slots=True)
class SdkSheet:
    name: str
    module: str
    provider: str | None
    version: str | None
    coordinate: str
    collected: tuple[Collected, ...]
    permissions: tuple[Merged, ...]
    switches: tuple[str, ...]
    pre_inits: tuple[str, ...]
    opt_outs: tuple[str, ...]


def build_sheets(ctx: object) -> list[SdkSheet]:
    """One sheet per SDK module of a project (`ctx`: the rule context)."""
    from pipl_lint.rules.sdk_provider._common import pi_read

    index = ctx.index  # type: ignore[attr-defined]
    out: list[SdkSheet] = []
    for sdk in sdk_modules(ctx):  # type: ignore[arg-type]
        collected: dict[tuple[str, str, int], Collected] = {}
        public: list[str] = []
        paths = {index.files[f].path for f in sdk.files}
        for fid in index.all_functions():
            if not sdk.owns(fid):
                continue
            fn = index.function(fid)
            if is_public_api(ctx, fid):  # type: ignore[arg-type]
                public.append(f"{fn.owner.rsplit('.', 1)[-1]}.{fn.name}")
            for site in index.sites_of(fid):
                hit = pi_read(ctx, fid, site)
                if hit is not None:
                    kind = ctx.catalog.pi_kinds[hit[0].pi_kind or ""]  # type: ignore[attr-defined]
                    path = index.files[fid.file].path
                    collected.setdefault((hit[1], path, site.line), Collected(
                        kind.id, (kind.label_en, kind.label_zh), hit[1], path, site.line))
        usage = ctx.permission_usage  # type: ignore[attr-defined]
        merged: dict[str, Merged] = {}
        for m in sdk.manifests:
            for p in m.permissions:
                if p.removed:
                    continue
                perm = ctx.catalog.permission(p.name)  # type: ignore[attr-defined]
                used = any(u.path in paths and u.kind in ("api", "uri", "string", "intent", "request", "check")
                           for u in usage.uses(p.name))
                merged.setdefault(p.name, Merged(p.name, perm.protection if perm else "", used))
        pub = sdk.publication
        out.append(SdkSheet(
            sdk.name, sdk.module.name, pub.provider, pub.version, pub.coordinate,
            tuple(sorted(collected.values(), key=lambda c: (c.path, c.line))),
            tuple(sorted(merged.values(), key=lambda m: m.name)),
            tuple(s.name for s in switches(ctx, sdk)),  # type: ignore[arg-type]
            tuple(n for n in dict.fromkeys(public) if PRE_INIT.match(n.rsplit(".", 1)[-1])),
            tuple(n for n in dict.fromkeys(public) if OPT_OUT.match(n.rsplit(".", 1)[-1])),
        ))
    return out


# --- rendering --------------------------------------------------------------------------------------------
def _facts(s: SdkSheet, lang: str) -> list[tuple[str, str]]:
    none = word(lang, "none")
    return [
        (word(lang, "name"), s.name),
        (word(lang, "provider"), s.provider or word(lang, "unknown")),
        (word(lang, "version"), s.version or word(lang, "unknown")),
        (word(lang, "coordinate"), s.coordinate or word(lang, "unknown")),
        (word(lang, "module"), s.module),
        (word(lang, "switch"), ", ".join(f"`{n}`" for n in s.switches) or none),
        (word(lang, "preinit"), ", ".join(f"`{n}`" for n in s.pre_inits) or none),
        (word(lang, "optout"), ", ".join(f"`{n}`" for n in s.opt_outs) or none),
    ]


def _tables(s: SdkSheet, lang: str) -> tuple[Table, Table]:
    zh = lang == "zh"
    pi = Table("sdk_pi", word(lang, "pi"), "", (word(lang, "kind"), word(lang, "api"), word(lang, "where"),
                                                 word(lang, "purpose")),
               tuple(Row((c.kind_label[1] if zh else c.kind_label[0], f"`{c.api}`", f"{c.path}:{c.line}",
                          word(lang, "todo"))) for c in s.collected))
    perms = Table("sdk_permissions", word(lang, "permissions"), "",
                  (word(lang, "permission"), word(lang, "protection"), word(lang, "used")),
                  tuple(Row((p.name, p.protection or word(lang, "unknown"), word(lang, "yes" if p.used else "no")))
                        for p in s.permissions))
    return pi, perms


def render_markdown(sheets: list[SdkSheet], lang: str) -> str:
    out = [f"# {word(lang, 'title')}", "", word(lang, "note"), ""]
    for s in sheets:
        out += [f"## {cell(s.name)}", ""]
        out += [f"- **{cell(k)}**: {cell(v)}" for k, v in _facts(s, lang)]
        out.append("")
        for t in _tables(s, lang):
            out += markdown_table(t, lang, level=3)
    return "\n".join(out).rstrip("\n") + "\n"


def render_json(sheets: list[SdkSheet], lang: str) -> str:
    doc = {
        "tool": {"name": "pipl-lint", "version": __version__},
        "language": lang,
        "sdks": [{
            "name": s.name, "module": s.module, "provider": s.provider, "version": s.version,
            "coordinate": s.coordinate,
            "personal_information": [{"kind": c.kind, "label": c.kind_label[1] if lang == "zh" else c.kind_label[0],
                                      "api": c.api, "path": c.path, "line": c.line, "purpose": None}
                                     for c in s.collected],
            "permissions": [{"name": p.name, "protection": p.protection or None, "used_by_sdk_code": p.used}
                            for p in s.permissions],
            "consent_switch": list(s.switches), "pre_init": list(s.pre_inits), "opt_out": list(s.opt_outs),
        } for s in sheets],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_html(sheets: list[SdkSheet], lang: str) -> str:
    parts = []
    for s in sheets:
        dl = "".join(f"<dt>{H.esc(k)}</dt><dd>{H.rich(v)}</dd>" for k, v in _facts(s, lang))
        tables = "\n".join(H.plain_table(t, lang) for t in _tables(s, lang))
        parts.append(f'<section class="sdk"><h2>{H.esc(s.name)}</h2><dl class="facts">{dl}</dl>\n{tables}</section>')
    title = word(lang, "title")
    header = f'<header><h1>{H.esc(title)}</h1><p class="note">{H.esc(word(lang, "note"))}</p></header>\n'
    return H.page(lang, title, ", ".join(s.name for s in sheets), header + "\n".join(parts) + "\n")


def render(sheets: list[SdkSheet], fmt: str, lang: str) -> str:
    if fmt == "json":
        return render_json(sheets, lang)
    if fmt == "html":
        return render_html(sheets, lang)
    return render_markdown(sheets, lang)
