"""`pipl-lint explain RULE`: what the rule detects, why it matters, how to fix it, what it cannot see."""

from __future__ import annotations

import sys

from pipl_lint import exitcodes
from pipl_lint.errors import UsageError
from pipl_lint.i18n import parse_language
from pipl_lint.registry import lookup

# Section headings shown to Chinese readers (the rule texts keep the English headings as structure).
HEADINGS_ZH = {
    "What it does": "检测内容",
    "Why is this bad?": "为什么有问题",
    "Example": "示例",
    "Use instead": "正确做法",
    "Fix safety": "自动修复",
    "Limitations": "局限",
    "References": "依据",
}
LABELS = {
    "en": ("category", "default severity", "autofix", "yes", "no", "since", "references"),
    "zh": ("类别", "默认级别", "自动修复", "有", "无", "引入版本", "依据"),
}


def localized_explanation(text: str, lang: str) -> str:
    if lang != "zh":
        return text
    for en, zh in HEADINGS_ZH.items():
        text = text.replace(f"## {en}", f"## {zh}")
    return text


def run_explain(key: str, lang: str | None = None) -> int:
    try:
        language = parse_language(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    rule = lookup(key)
    if rule is None:
        raise UsageError(f"unknown rule {key!r} (see `pipl-lint rules`)")
    m = rule.meta
    cat, sev, fix, yes, no, since, refs = LABELS[language]
    head = f"{m.id} {m.name} — {rule.summary_in(language)}\n"
    meta = (f"{cat}: {m.category.value}   {sev}: {m.severity}   {fix}: {yes if m.fixable else no}   "
            f"{since}: {m.since}\n")
    references = f"{refs}: " + "; ".join(m.references) + "\n"
    body = localized_explanation(rule.explanation_in(language), language)
    sys.stdout.write(head + meta + references + "\n" + body + "\n")
    return exitcodes.OK
