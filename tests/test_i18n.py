"""Every rule speaks both languages: summary, fix, explanation and every message/fix template in Simplified
Chinese, with the same placeholders and the same explanation sections as the English text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipl_lint import i18n
from pipl_lint.registry import all_rules
from pipl_lint.ruleapi import REQUIRED_SECTIONS, parse_sections
from tests.conftest import ROOT

RULES = all_rules()
PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_is_translated(rule) -> None:  # type: ignore[no-untyped-def]
    zh = i18n.catalog("zh").get(rule.meta.id)
    assert zh, f"rules/data/i18n/zh.toml has no [{rule.meta.id}]"
    for field in ("summary", "fix", "explanation"):
        assert str(zh.get(field, "")).strip(), f"{rule.meta.id}.{field} is not translated"
    sections = parse_sections(zh["explanation"])
    for name in REQUIRED_SECTIONS:
        assert sections.get(name, "").strip(), f"{rule.meta.id}: the Chinese explanation lacks `## {name}`"
    for kind in ("messages", "fixes"):
        english = getattr(rule.meta, kind)
        chinese = zh.get(kind, {})
        assert set(chinese) == set(english), f"{rule.meta.id}.{kind}: keys differ"
        for key, template in english.items():
            assert i18n.template_fields(chinese[key]) == i18n.template_fields(template), f"{rule.meta.id}.{kind}.{key}"


def test_language_from_locale() -> None:
    assert i18n.default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.default_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.default_language({}) == "en"
    with pytest.raises(ValueError):
        i18n.parse_language("fr")


def test_findings_in_chinese_keep_fingerprints() -> None:
    def run(lang: str) -> list[dict[str, object]]:
        out = subprocess.run([PIPL_LINT, "check", "examples/leaky-app", "-f", "json", "--lang", lang, "--no-cache"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        return json.loads(out.stdout)["findings"]  # type: ignore[no-any-return]

    en, zh = run("en"), run("zh")
    assert [f["fingerprint"] for f in en] == [f["fingerprint"] for f in zh]
    changed = [(a, b) for a, b in zip(en, zh, strict=True) if a["message"] != b["message"]]
    assert len(changed) == len(en), "every message has a Chinese rendering"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(b["message"])) for _a, b in changed)


def test_explain_in_chinese() -> None:
    out = subprocess.run([PIPL_LINT, "explain", "EC101", "--lang", "zh"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    assert "## 为什么有问题" in out.stdout and "191号文" in out.stdout
