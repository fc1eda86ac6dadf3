"""The three inventory lists as tables of display strings, shared by the Markdown, CSV and HTML renderers so that
they always show the same rows and the same cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipl_lint.compliance import labels as L
from pipl_lint.compliance.inventory import Collection, Inventory, PermissionRow, SdkRow

SECTIONS = ("personal_information", "sdks", "permissions")
MAX_LISTED = 6  # "used by" and "entry points" cells list this many, then "and N more"


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    tags: dict[str, str] = field(default_factory=dict)  # stable codes the HTML page filters on
    links: dict[int, str] = field(default_factory=dict)  # column index → URL shown as a link


@dataclass(frozen=True, slots=True)
class Table:
    id: str  # personal_information | sdks | permissions
    title: str
    note: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    label: str
    value: int | str  # a count, or why there is none (e.g. the check needs an app category)
    alert: bool = False


def tables(inv: Inventory, lang: str) -> tuple[Table, ...]:
    return (_pi_table(inv, lang), _sdk_table(inv, lang), _perm_table(inv, lang))


def summary(inv: Inventory, lang: str) -> tuple[Summary, ...]:
    pi = inv.personal_information
    dangerous = [p for p in inv.permissions if p.protection == "dangerous" and p.in_app]
    cards = (
        Summary(L.text(lang, "sum_pi"), len(pi)),
        Summary(L.text(lang, "sum_pi_kinds"), len(inv.pi_kinds())),
        Summary(L.text(lang, "sum_pi_before"), sum(c.timing == "before-consent" for c in pi), alert=True),
        Summary(L.text(lang, "sum_sdks"), len(inv.sdks)),
        Summary(L.text(lang, "sum_sdk_before"), sum(s.consent == "before-consent" for s in inv.sdks), alert=True),
        Summary(L.text(lang, "sum_sdk_undisclosed"), sum(s.disclosed is False for s in inv.sdks), alert=True),
        Summary(L.text(lang, "sum_permissions"), sum(p.in_app for p in inv.permissions)),
        Summary(L.text(lang, "sum_dangerous"), len(dangerous)),
        Summary(L.text(lang, "sum_not_necessary"), sum(p.necessity == "not-necessary" for p in dangerous)
                if inv.app_category is not None else L.text(lang, "sum_needs_category"), alert=True),
    )
    undisclosed = L.text(lang, "sum_sdk_undisclosed")
    return tuple(c for c in cards if inv.policies or c.label != undisclosed)


def facts(inv: Inventory, lang: str, version: str) -> tuple[tuple[str, str], ...]:
    """The header lines: tool, project, app category, policy compared."""
    if inv.app_category is not None:
        c = inv.app_category
        category = f"{c.number}. {c.name_zh}" if lang == "zh" else f"{c.number}. {c.name_en} ({c.name_zh})"
    elif inv.category_setting:
        category = f"{inv.category_setting} ({L.text(lang, 'category_unknown')})"
    else:
        category = L.text(lang, "category_none")
    return (
        (L.text(lang, "generated_by"), f"pipl-lint {version}"),
        (L.text(lang, "projects"), ", ".join(inv.projects) or L.text(lang, "none")),
        (L.text(lang, "app_category"), category),
        (L.text(lang, "policy"), ", ".join(inv.policies) or L.text(lang, "policy_none")),
    )


# --- cells ---------------------------------------------------------------------------------------------------


def _join(items: Iterable[str], lang: str, limit: int = MAX_LISTED) -> str:
    values = [i for i in dict.fromkeys(items) if i]
    if not values:
        return L.text(lang, "none")
    sep = "；" if lang == "zh" else "; "
    shown = sep.join(values[:limit])
    return shown + (sep + L.text(lang, "more", n=len(values) - limit) if len(values) > limit else "")


def _list(items: Iterable[str], lang: str) -> str:
    values = [i for i in dict.fromkeys(items) if i]
    return ("、" if lang == "zh" else ", ").join(values) if values else L.text(lang, "none")


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return L.text(lang, "none")
    return L.text(lang, "yes" if value else "no")


def kind_label(inv: Inventory, kind: str, lang: str) -> str:
    found = inv.catalog.pi_kinds.get(kind) if inv.catalog else None
    if found is None:
        return kind
    return found.label_zh if lang == "zh" else found.label_en


def _short(permission: str) -> str:
    return permission.rsplit(".", 1)[-1] if permission.startswith("android.permission.") else permission


def _project_prefix(inv: Inventory, project: str) -> str:
    return f"[{project}] " if len(inv.projects) > 1 else ""


def _where(inv: Inventory, path: str, line: int) -> str:
    """`path:line`, relative to the project when the report has one project."""
    if len(inv.projects) == 1 and inv.projects[0] not in ("", "."):
        path = path.removeprefix(inv.projects[0].rstrip("/") + "/")
    return f"{path}:{line}"


# --- the three tables ------------------------------------------------------------------------------------------


def _pi_row(inv: Inventory, c: Collection, lang: str) -> Row:
    kind = kind_label(inv, c.pi_kind, lang)
    if c.sensitive:
        kind += f"（{L.text(lang, 'sensitive')}）" if lang == "zh" else f" ({L.text(lang, 'sensitive')})"
    entries = [f"{L.pick(L.ENTRY_KIND, lang, e.kind)} {e.simple}" for e in c.entry_points]
    cells = (
        _project_prefix(inv, c.project) + kind,
        L.text(lang, "to_fill"),
        c.api,
        _list((_short(p) for p in c.permissions), lang),
        L.pick(L.TIMING, lang, c.timing),
        _where(inv, c.path, c.line),
        c.module,
        c.function,
        _join(entries, lang),
        _yes_no(c.disclosed, lang),
        _join((n.get(lang) for n in c.notes), lang, 3),
    )
    return Row(cells, {"timing": c.timing, "kind": c.pi_kind})


def _pi_table(inv: Inventory, lang: str) -> Table:
    columns = ("col_pi_kind", "col_purpose", "col_api", "col_permission", "col_timing", "col_location", "col_module",
               "col_function", "col_entries", "col_disclosed_pi", "col_notes")
    return Table("personal_information", L.text(lang, "pi_title"), L.text(lang, "pi_note"),
                 tuple(L.text(lang, c) for c in columns),
                 tuple(_pi_row(inv, c, lang) for c in inv.personal_information))


def _init_cell(inv: Inventory, s: SdkRow, lang: str) -> str:
    if not s.inits:
        text = L.text(lang, "no_init_found")
        if s.auto_start:
            names = ", ".join(n.rsplit(".", 1)[-1] for n in s.auto_start)
            text += ("（" if lang == "zh" else " (") + L.text(lang, "auto_start", names=names) + \
                ("）" if lang == "zh" else ")")
        return text
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    return _join((f"{i.call} {_where(inv, i.path, i.line)}{open_}{L.pick(L.TIMING, lang, i.timing)}{close}"
                  for i in s.inits), lang)


def _sdk_row(inv: Inventory, s: SdkRow, lang: str) -> Row:
    vendor = (s.vendor_zh or s.vendor) if lang == "zh" else s.vendor
    cells = (
        _project_prefix(inv, s.project) + s.name,
        vendor,
        _list(s.versions, lang),
        _list(s.coordinates, lang),
        L.pick(L.SDK_CATEGORY, lang, s.category),
        _list((kind_label(inv, k, lang) for k in s.pi_kinds), lang),
        _list((_short(p) for p in s.permissions), lang),
        _init_cell(inv, s, lang),
        L.pick(L.SDK_CONSENT, lang, s.consent),
        s.policy_url or L.text(lang, "none"),
        _join((f"{_where(inv, d.path, d.line)} ({d.module})" for d in s.declarations), lang),
        _yes_no(s.disclosed, lang),
    )
    links = {9: s.policy_url} if s.policy_url.startswith("https://") else {}
    return Row(cells, {"consent": s.consent, "sdk": s.id, "category": s.category}, links)


def _sdk_table(inv: Inventory, lang: str) -> Table:
    columns = ("col_sdk", "col_vendor", "col_version", "col_coordinate", "col_category", "col_sdk_pi", "col_sdk_perms",
               "col_init", "col_consent", "col_policy_url", "col_declared_in", "col_disclosed_sdk")
    return Table("sdks", L.text(lang, "sdk_title"), L.text(lang, "sdk_note"), tuple(L.text(lang, c) for c in columns),
                 tuple(_sdk_row(inv, s, lang) for s in inv.sdks))


def _use(kind: str, detail: str, where: str, lang: str) -> str:
    return f"{L.pick(L.USE_KIND, lang, kind)} {detail} {where}".strip()


def _perm_row(inv: Inventory, p: PermissionRow, lang: str) -> Row:
    declared = []
    for d in p.declared:
        status = L.pick(L.DECLARATION_STATUS, lang, d.status)
        declared.append(_where(inv, d.path, d.line) + (f" {status}" if status else ""))
    sdk_names = []
    for sdk_id in p.merged_by_sdks:
        found = next((s for s in inv.sdks if s.id == sdk_id and s.project == p.project), None)
        sdk_names.append(found.name if found else sdk_id)
    merged = L.text(lang, "merged_no_build") if p.merged is None else _yes_no(p.merged, lang)
    cells = (
        _project_prefix(inv, p.project) + _short(p.name),
        L.pick(L.PROTECTION, lang, p.protection),
        kind_label(inv, p.pi_kind, lang) if p.pi_kind else L.text(lang, "none"),
        _join(declared, lang),
        merged,
        _list(sdk_names, lang),
        _yes_no(p.in_app, lang),
        _join((_use(u.kind, u.detail, "" if u.kind in ("sdk", "sdk-feature") else _where(inv, u.path, u.line), lang)
               for u in p.used_by), lang),
        L.pick(L.NECESSITY, lang, p.necessity),
    )
    return Row(cells, {"protection": p.protection, "necessity": p.necessity, "permission": p.name})


def _perm_table(inv: Inventory, lang: str) -> Table:
    columns = ("col_perm", "col_protection", "col_perm_pi", "col_declared", "col_merged", "col_sdk_merged",
               "col_in_app", "col_used_by", "col_necessity")
    return Table("permissions", L.text(lang, "perm_title"), L.text(lang, "perm_note"),
                 tuple(L.text(lang, c) for c in columns), tuple(_perm_row(inv, p, lang) for p in inv.permissions))
