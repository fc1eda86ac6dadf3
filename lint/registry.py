"""The rule registry, built by walking `pipl_lint.rules` — never a hand-kept list.

Every module under `rules/<category>/` that defines `META` is a rule. Loading fails loudly on a
duplicate id or name, a malformed id, a category that does not match the folder, or a docstring without
the required sections, so a broken rule cannot ship silently.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from pipl_lint.ruleapi import REQUIRED_SECTIONS, RULE_ID, RULE_NAME, Rule, RuleMeta, parse_sections


class RegistryError(Exception):
    pass


def _load(module_name: str) -> Rule | None:
    module = importlib.import_module(module_name)
    meta = getattr(module, "META", None)
    if not isinstance(meta, RuleMeta):
        return None
    doc = module.__doc__ or ""
    check = getattr(module, "check", None)
    where = module_name.rsplit(".", 2)
    if not RULE_ID.match(meta.id):
        raise RegistryError(f"{module_name}: rule id {meta.id!r} must look like EC101")
    if not RULE_NAME.match(meta.name):
        raise RegistryError(f"{module_name}: rule name {meta.name!r} must be kebab-case")
    if meta.name.replace("-", "_") != where[-1]:
        raise RegistryError(f"{module_name}: module must be named after the rule ({meta.name.replace('-', '_')})")
    if meta.category.value.replace("-", "_") != where[-2]:
        raise RegistryError(f"{module_name}: category {meta.category.value} does not match its folder")
    missing = [s for s in REQUIRED_SECTIONS if s not in parse_sections(doc)]
    if missing:
        raise RegistryError(f"{module_name}: docstring lacks sections {missing}")
    if not callable(check):
        raise RegistryError(f"{module_name}: no check(ctx) function")
    return Rule(meta, doc, check, module_name)


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    import pipl_lint.rules as pkg

    rules: list[Rule] = []
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{pkg.__name__}."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or info.ispkg:
            continue
        rule = _load(info.name)
        if rule is not None:
            rules.append(rule)
    ids: dict[str, str] = {}
    for r in rules:
        for key in (r.meta.id, r.meta.name):
            if key in ids:
                raise RegistryError(f"{r.module}: {key!r} is already used by {ids[key]}")
            ids[key] = r.module
    return tuple(sorted(rules, key=lambda r: r.meta.id))


def lookup(key: str) -> Rule | None:
    for r in all_rules():
        if key in (r.meta.id, r.meta.name):
            return r
    return None


def select(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    """Rules chosen by ids, names or categories; unknown keys raise RegistryError."""
    def matches(rule: Rule, key: str) -> bool:
        return key in (rule.meta.id, rule.meta.name, rule.meta.category.value) or \
            (key.isalpha() and key.isupper() and rule.meta.id.startswith(key))

    for key in (*select, *ignore):
        if not any(matches(r, key) for r in all_rules()):
            raise RegistryError(f"unknown rule or category {key!r} (see `pipl-lint rules`)")
    chosen = [r for r in all_rules() if not select or any(matches(r, k) for k in select)]
    return tuple(r for r in chosen if not any(matches(r, k) for k in ignore))
