"""The rule registry, built by walking `pipl_lint.rules` — never a hand-kept list.

Every module under `rules/<category>/` that defines `META` is a rule. Loading fails loudly on a
duplicate id or name, a malformed id, a category that does not match the folder, or a docstring without
the required sections, so a broken rule cannot ship silently.

Importing every rule module (and the model they import) costs more than a warm run with a cached result
takes otherwise, so the facts that choosing rules needs — id, name, category, module, `per_variant` — are
kept as an index (`RuleIndex`) in the cache, valid while the tool version and the rule files (name, size,
modification time of every `.py` file under the rule packages, new category packages included) are the same.
`select` returns a `Selection`: the chosen rules' ids at once, the rule modules imported only when a rule is
first used (docs/architecture.md, Warm runs).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import pkgutil
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, overload

import msgspec

if TYPE_CHECKING:
    from pipl_lint.ruleapi import Rule

INDEX_KEY = "rule-index"


class RegistryError(Exception):
    pass


class RuleInfo(msgspec.Struct, frozen=True, array_like=True):
    """What choosing and scheduling a rule needs, without importing it."""

    id: str
    name: str
    category: str
    module: str
    per_variant: bool


class RuleIndex(msgspec.Struct, frozen=True, array_like=True):
    fingerprint: str
    rules: tuple[RuleInfo, ...]


class IndexStore(Protocol):
    """Where the index is kept between runs (`pipl_lint.cache.Cache`)."""

    def get_meta(self, key: str) -> bytes | None: ...

    def put_meta(self, key: str, value: bytes) -> None: ...


def _load(module_name: str) -> Rule | None:
    from pipl_lint.ruleapi import REQUIRED_SECTIONS, RULE_ID, RULE_NAME, Rule, RuleMeta, parse_sections

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


def _by_id() -> dict[str, Rule]:
    return {r.meta.id: r for r in all_rules()}


def rules_fingerprint() -> str:
    """The tool version and every rule file's name, size and modification time (a new file, a removed one, an
    edit or a new category package all change it). Reads no file."""
    import pipl_lint.rules as pkg
    from pipl_lint import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for top in pkg.__path__:
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    rel = os.path.relpath(os.path.join(folder, name), top)
                    h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def build_index() -> RuleIndex:
    """The index of the rules as they are now (imports every rule)."""
    fingerprint = rules_fingerprint()
    return RuleIndex(fingerprint, tuple(
        RuleInfo(r.meta.id, r.meta.name, r.meta.category.value, r.module, r.meta.per_variant) for r in all_rules()))


def rule_index(store: IndexStore | None = None) -> RuleIndex:
    """The index, from `store` when it holds one for the rules as they are now, else built (and stored)."""
    if store is None:
        return build_index()
    fingerprint = rules_fingerprint()
    raw = store.get_meta(INDEX_KEY)
    if raw is not None:
        try:
            stored = msgspec.msgpack.decode(raw, type=RuleIndex)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            stored = None
        if stored is not None and stored.fingerprint == fingerprint:
            return stored
    index = build_index()
    if index.fingerprint == fingerprint:  # not edited while it was being built
        store.put_meta(INDEX_KEY, msgspec.msgpack.encode(index))
    return index


def lookup(key: str) -> Rule | None:
    for r in all_rules():
        if key in (r.meta.id, r.meta.name):
            return r
    return None


class Selection(Sequence["Rule"]):
    """Chosen rules: their ids (and what scheduling needs) without importing them; the `Rule`s on first use."""

    def __init__(self, infos: Sequence[RuleInfo]) -> None:
        self.infos = tuple(infos)
        self.ids = tuple(i.id for i in self.infos)

    @functools.cached_property
    def _rules(self) -> tuple[Rule, ...]:
        by_id = _by_id()
        missing = [i for i in self.ids if i not in by_id]
        if missing:  # a stale index: the rule files changed after it was read
            raise RegistryError(f"rules {', '.join(missing)} are no longer there (the rule files changed during "
                                "the run)")
        return tuple(by_id[i] for i in self.ids)

    @overload
    def __getitem__(self, i: int) -> Rule: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Rule]: ...

    def __getitem__(self, i: int | slice) -> Rule | Sequence[Rule]:
        return self._rules[i]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Selection) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash(self.ids)

    def __repr__(self) -> str:
        return f"Selection({', '.join(self.ids)})"


def rule_ids(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The ids of `rules`, without importing them when they are a `Selection`."""
    return rules.ids if isinstance(rules, Selection) else tuple(r.meta.id for r in rules)


def select(select: tuple[str, ...], ignore: tuple[str, ...], index: RuleIndex | None = None) -> Selection:
    """Rules chosen by ids, names or categories; unknown keys raise RegistryError. With an `index` (see
    `rule_index`), no rule module is imported until a rule is used."""
    infos = (index or build_index()).rules

    def matches(rule: RuleInfo, key: str) -> bool:
        return key in (rule.id, rule.name, rule.category) or \
            (key.isalpha() and key.isupper() and rule.id.startswith(key))

    for key in (*select, *ignore):
        if not any(matches(r, key) for r in infos):
            raise RegistryError(f"unknown rule or category {key!r} (see `pipl-lint rules`)")
    chosen = [r for r in infos if not select or any(matches(r, k) for k in select)]
    return Selection([r for r in chosen if not any(matches(r, k) for k in ignore)])
