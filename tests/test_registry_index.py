"""The cached rule index (issue 17): a warm run that reuses a stored result imports no rule module, and the index
is rebuilt whenever a rule file, a rule package or the tool version changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

import pipl_lint
import pipl_lint.rules as rules_pkg
from pipl_lint import registry
from pipl_lint.cache import Cache
from pipl_lint.registry import INDEX_KEY, RuleIndex, RuleInfo, Selection, rule_index, rules_fingerprint, select
from tests.conftest import EXAMPLES


class Store:
    """An in-memory `IndexStore` that counts writes."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.puts = 0

    def get_meta(self, key: str) -> bytes | None:
        return self.values.get(key)

    def put_meta(self, key: str, value: bytes) -> None:
        self.puts += 1
        self.values[key] = value


def test_index_matches_the_rules_and_is_reused() -> None:
    store = Store()
    first = rule_index(store)
    assert [i.id for i in first.rules] == [r.meta.id for r in registry.all_rules()]
    assert {i.per_variant for i in first.rules} == {True, False}
    assert store.puts == 1
    assert rule_index(store) == first
    assert store.puts == 1  # read back, not rebuilt


def test_a_stale_or_crafted_index_is_rebuilt() -> None:
    store = Store()
    bogus = RuleIndex("not-the-fingerprint", (RuleInfo("ZZ999", "made-up-rule", "made-up", "nowhere", False),))
    store.values[INDEX_KEY] = msgspec.msgpack.encode(bogus)
    assert "ZZ999" not in [i.id for i in rule_index(store).rules]
    store.values[INDEX_KEY] = b"\xc1 not msgpack"
    assert rule_index(store).rules == registry.build_index().rules
    assert store.puts == 2


@pytest.fixture
def extra_rules_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A second folder of the rules package (as a new category package would be), emptied of modules."""
    folder = tmp_path / "extra"
    folder.mkdir()
    monkeypatch.setattr(rules_pkg, "__path__", [*rules_pkg.__path__, str(folder)])
    return folder


def test_fingerprint_follows_rule_files(extra_rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = rules_fingerprint()
    assert rules_fingerprint() == before
    package = extra_rules_dir / "new_category"
    package.mkdir()
    (package / "__init__.py").write_text("")
    added = rules_fingerprint()
    assert added != before  # a new rule package
    rule = package / "some_rule.py"
    rule.write_text('"""A rule."""\n')
    with_rule = rules_fingerprint()
    assert with_rule != added  # a new rule file
    os.utime(rule, ns=(1_000_000_000, 1_000_000_000))
    touched = rules_fingerprint()
    assert touched != with_rule  # an edited one (same size, other time)
    rule.write_text('"""A rule, longer."""\n')
    os.utime(rule, ns=(1_000_000_000, 1_000_000_000))
    assert rules_fingerprint() != touched  # same time, other size
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.py").write_text("")
    assert rules_fingerprint() == rules_fingerprint()
    rule.unlink()
    assert rules_fingerprint() == added
    monkeypatch.setattr(pipl_lint, "__version__", "999.0")
    assert rules_fingerprint() != added  # another version of the tool


def test_index_is_rebuilt_when_the_fingerprint_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path, "test")
    stored = rule_index(cache)
    calls = []
    real = registry.build_index

    def counting() -> RuleIndex:
        calls.append(1)
        return real()

    monkeypatch.setattr(registry, "build_index", counting)
    assert rule_index(cache) == stored and not calls
    monkeypatch.setattr(pipl_lint, "__version__", "999.0")
    again = rule_index(cache)
    assert calls and again.fingerprint != stored.fingerprint and again.rules == stored.rules
    cache.close()
    # the index survives a change of the cache's namespace (it carries its own fingerprint)
    assert Cache(tmp_path, "other namespace").get_meta(INDEX_KEY) is not None


def test_selection_is_lazy_and_equal_to_the_rules() -> None:
    index = registry.build_index()
    chosen = select(("early-collection",), ("EC106",), index)
    assert isinstance(chosen, Selection)
    assert chosen.ids and all(i.startswith("EC") and i != "EC106" for i in chosen.ids)
    assert [r.meta.id for r in chosen] == list(chosen.ids)
    assert len(chosen) == len(chosen.ids) and chosen[0].meta.id == chosen.ids[0]
    assert registry.rule_ids(chosen) == registry.rule_ids(tuple(chosen)) == chosen.ids
    with pytest.raises(registry.RegistryError):
        select(("NOPE1",), (), index)


SCRIPT = """
import json, sys
from pipl_lint.cli import main
sys.argv = ["pipl-lint", "check", ".", "-f", "json", "-o", "out.json"]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.startswith("pipl_lint"))}))
"""


def test_a_warm_run_imports_no_rule_and_no_analysis(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLES / "leaky-app", root)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=120,
                             env=env)
        assert out.returncode == 0, out.stderr
        runs.append((json.loads(out.stdout.splitlines()[-1]), (root / "out.json").read_text()))
    (cold, cold_report), (warm, warm_report) = runs
    assert cold["code"] == warm["code"] == 1
    assert json.loads(cold_report)["findings"] == json.loads(warm_report)["findings"]
    assert any(m.startswith("pipl_lint.rules.") for m in cold["modules"])
    analysis = ("pipl_lint.rules.", "pipl_lint.ruleapi", "pipl_lint.model.index", "pipl_lint.model.reach",
                "pipl_lint.model.consent")
    heavy = [m for m in warm["modules"] if m.startswith(analysis)]
    assert heavy == []
