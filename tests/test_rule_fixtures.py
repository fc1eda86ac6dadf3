"""Every rule against its own fixture projects: `bad/` cases fire exactly on the marked lines, `good/`
cases stay silent. Markers are comments: `// expect: EC101` on the line that must be reported, `// collects:
EC101` on each related location of those findings (the collecting calls a helper makes, reported on the
entry call that leads into it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipl_lint.config import Config
from pipl_lint.engine import run
from pipl_lint.registry import all_rules, lookup
from tests.conftest import COLLECTS, FIXTURES, expectations, fixture_dirs

CASES = list(fixture_dirs())


def _rule_of(case: Path) -> str:
    rule = lookup(case.parent.name)
    assert rule is not None, f"fixture folder {case.parent.name} names no rule"
    return rule.meta.id


def _findings(case: Path, rule_id: str) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    config = Config(app_category=(case / "category.txt").read_text().strip()
                    if (case / "category.txt").is_file() else None)
    rule = lookup(rule_id)
    assert rule is not None
    result = run([case], case, config, [rule])
    assert not result.internal_error, result.diagnostics
    return ({(f.path, f.span.line, f.rule) for f in result.findings},
            {(r.path, r.span.line, f.rule) for f in result.findings for r in f.related})


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path) -> None:
    rule_id = _rule_of(case)
    got, related = _findings(case, rule_id)
    want = {e for e in expectations(case) if e[2] == rule_id}
    collects = {e for e in expectations(case, COLLECTS) if e[2] == rule_id}
    if case.name.startswith("good"):
        assert not want, "good fixtures must not carry expect markers"
        assert got == set(), f"{rule_id} fired on a good fixture: {sorted(got)}"
    else:
        assert want, "bad fixtures must mark at least one expected finding"
        assert got == want, f"missing {sorted(want - got)}; unexpected {sorted(got - want)}"
        assert related == collects, \
            f"related: missing {sorted(collects - related)}; unexpected {sorted(related - collects)}"


def test_every_rule_has_good_and_bad_fixtures() -> None:
    names = {r.meta.name for r in all_rules()}
    base = FIXTURES / "rules"
    for name in sorted(names):
        cases = {p.name.split("-")[0] for p in (base / name).iterdir()} if (base / name).is_dir() else set()
        assert {"bad", "good"} <= cases, f"rule {name} needs tests/fixtures/rules/{name}/bad*/ and good*/"
