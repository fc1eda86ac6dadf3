"""Generated documentation stays current, and every rule documents what the README promises."""

from __future__ import annotations

from pipl_lint.commands.rules import rules_markdown
from pipl_lint.registry import all_rules
from pipl_lint.ruleapi import REQUIRED_SECTIONS
from tests.conftest import ROOT


def test_rules_reference_is_generated_and_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert current == rules_markdown(), "stale: run `pipl-lint rules --format markdown > docs/rules.md`"


def test_every_rule_explains_itself() -> None:
    for rule in all_rules():
        sections = rule.sections
        for name in REQUIRED_SECTIONS:
            assert sections.get(name, "").strip(), f"{rule.meta.id} lacks `## {name}`"
        assert rule.meta.references, rule.meta.id
        assert rule.meta.fix and rule.meta.summary, rule.meta.id
