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


def test_install_instructions_name_what_exists() -> None:
    """pipl-lint is not on PyPI and has no release tags: no document may tell users otherwise."""
    import re
    import subprocess

    docs = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "examples" / "ci").iterdir()]
    for doc in docs:
        text = doc.read_text("utf-8")
        bare = re.findall(r"pipx? install ['\"]?pipl-lint(?:\[\w+\])?(?!\s*@)['\"]?(?=\s|$)", text, re.M)
        assert not bare, f"{doc.name}: {bare} (not on PyPI: install from a git URL or a clone)"
    for rev in re.findall(r"^\s*rev:\s*(\S+)", (ROOT / "README.md").read_text("utf-8"), re.M):
        if rev.startswith("<"):
            continue  # a placeholder the user fills in
        known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=ROOT,
                               capture_output=True)
        assert known.returncode == 0, f"README: rev {rev} names no commit or tag of this repository"
