"""The inventory as JSON: top-level `personal_information`, `sdks` and `permissions`, plus what was compared.

Codes (`timing`, `consent`, `necessity`, `protection` …) are stable English identifiers; the `*_label` fields
carry the words of the chosen language.
"""

from __future__ import annotations

import json
from typing import Any

from pipl_lint import __version__
from pipl_lint.compliance import labels as L
from pipl_lint.compliance.inventory import Collection, Inventory, PermissionRow, SdkRow
from pipl_lint.compliance.table import kind_label

SCHEMA = "pipl-lint-inventory/1"


def _collection(inv: Inventory, c: Collection, lang: str) -> dict[str, Any]:
    return {
        "project": c.project,
        "pi_kind": c.pi_kind,
        "pi_kind_label": kind_label(inv, c.pi_kind, lang),
        "sensitive": c.sensitive,
        "purpose": None,
        "api": c.api,
        "api_id": c.api_id,
        "permissions": list(c.permissions),
        "timing": c.timing,
        "timing_label": L.pick(L.TIMING, lang, c.timing),
        "path": c.path,
        "line": c.line,
        "column": c.column,
        "module": c.module,
        "function": c.function,
        "entry_points": [{"kind": e.kind, "component": e.component, "path": e.path, "line": e.line}
                         for e in c.entry_points],
        "disclosed_in_policy": c.disclosed,
        "notes": [n.get(lang) for n in c.notes],
    }


def _sdk(inv: Inventory, s: SdkRow, lang: str) -> dict[str, Any]:
    return {
        "project": s.project,
        "id": s.id,
        "name": s.name,
        "vendor": s.vendor,
        "vendor_zh": s.vendor_zh,
        "category": s.category,
        "category_label": L.pick(L.SDK_CATEGORY, lang, s.category),
        "coordinates": list(s.coordinates),
        "versions": list(s.versions),
        "declarations": [{"module": d.module, "path": d.path, "line": d.line, "coordinate": d.coordinate,
                          "version": d.version, "source": d.source} for d in s.declarations],
        "pi_kinds": list(s.pi_kinds),
        "pi_kind_labels": [kind_label(inv, k, lang) for k in s.pi_kinds],
        "permissions": list(s.permissions),
        "initialisation": [{"role": i.role, "call": i.call, "path": i.path, "line": i.line, "function": i.function,
                            "timing": i.timing} for i in s.inits],
        "consent": s.consent,
        "consent_label": L.pick(L.SDK_CONSENT, lang, s.consent),
        "auto_start": list(s.auto_start),
        "policy_url": s.policy_url,
        "disclosed_in_policy": s.disclosed,
    }


def _permission(inv: Inventory, p: PermissionRow, lang: str) -> dict[str, Any]:
    return {
        "project": p.project,
        "name": p.name,
        "short": p.short,
        "protection": p.protection,
        "pi_kind": p.pi_kind,
        "declared": [{"path": d.path, "line": d.line, "source_set": d.source_set, "status": d.status}
                     for d in p.declared],
        "merged": p.merged,
        "merged_by_sdks": list(p.merged_by_sdks),
        "in_app": p.in_app,
        "used_by": [{"kind": u.kind, "detail": u.detail, "path": u.path, "line": u.line} for u in p.used_by],
        "necessity": p.necessity,
        "necessity_label": L.pick(L.NECESSITY, lang, p.necessity),
    }


def render(inv: Inventory, lang: str) -> str:
    category = inv.app_category
    doc = {
        "schema": SCHEMA,
        "tool": {"name": "pipl-lint", "version": __version__},
        "lang": lang,
        "projects": list(inv.projects),
        "app_category": None if category is None else {
            "number": category.number, "key": category.key, "name_zh": category.name_zh, "name_en": category.name_en,
            "necessary_pi_kinds": list(category.necessary_pi_kinds)},
        "privacy_policies": list(inv.policies),
        "pi_kinds": list(inv.pi_kinds()),
        "personal_information": [_collection(inv, c, lang) for c in inv.personal_information],
        "sdks": [_sdk(inv, s, lang) for s in inv.sdks],
        "permissions": [_permission(inv, p, lang) for p in inv.permissions],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
