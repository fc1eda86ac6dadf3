"""Messages in English and Simplified Chinese.

A rule writes its messages as named English templates (`MESSAGES` / `FIXES` in the rule module) and
builds them with `ctx.say(META, "key", **params)`, which returns a `Msg`: the English text plus its
Chinese rendering from `rules/data/i18n/zh.toml` (`[RULE_ID.messages] key = "…{param}…"`). Parameters
may themselves be `Msg` values (a PI kind's label, an SDK's name), rendered in the same language.
Findings keep English as their canonical text — fingerprints and baselines do not change with the
language — and carry the Chinese rendering alongside; formatters pick by `--lang`.

Regulatory names stay in their original Chinese in both languages (191号文, 《个人信息保护法》).
"""

from __future__ import annotations

import functools
import os
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

LANGS = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Msg:
    """A text in both languages; `zh` falls back to `en` when no translation exists."""

    en: str
    zh: str | None = None

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else self.en

    def __str__(self) -> str:
        return self.en


def join(*parts: Msg | str, sep: str = " ", sep_zh: str | None = None) -> Msg:
    """Concatenate texts in both languages."""
    msgs = [p if isinstance(p, Msg) else Msg(p) for p in parts if p]
    zh_sep = sep if sep_zh is None else sep_zh
    return Msg(sep.join(m.en for m in msgs), zh_sep.join(m.get("zh") for m in msgs))


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """`zh` when the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE) is Chinese, else `en`."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def parse_language(value: str | None) -> str:
    if value is None:
        return default_language()
    lang = value.strip().lower().replace("_", "-")
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise ValueError(f"unknown language {value!r} (choose zh or en)")


@functools.cache
def catalog(lang: str) -> dict[str, Any]:
    """Translations for `lang` keyed by rule id (empty for English, whose text lives in the rules)."""
    if lang == "en":
        return {}
    path = resources.files("pipl_lint.rules") / "data" / "i18n" / f"{lang}.toml"
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}


def _fields(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}


def render(template: str, params: Mapping[str, Any], lang: str) -> str:
    values = {k: (v.get(lang) if isinstance(v, Msg) else v) for k, v in params.items()}
    return template.format(**values)


def say(rule_id: str, kind: str, key: str, english: str, params: Mapping[str, Any]) -> Msg:
    """`kind` is "messages" or "fixes"; the English template comes from the rule module."""
    en = render(english, params, "en")
    zh_template = catalog("zh").get(rule_id, {}).get(kind, {}).get(key)
    zh = render(zh_template, params, "zh") if isinstance(zh_template, str) else None
    return tidy(Msg(en, zh))


def rule_text(rule_id: str, field: str, lang: str, english: str) -> str:
    """A rule's summary / fix / explanation in `lang` (English when untranslated)."""
    if lang == "en":
        return english
    value = catalog(lang).get(rule_id, {}).get(field)
    return value if isinstance(value, str) and value.strip() else english


def label(kind: str, key: str, english: str) -> Msg:
    """Shared vocabulary (PI kinds, entry-point kinds …) from the `[labels.<kind>]` tables."""
    zh = catalog("zh").get("labels", {}).get(kind, {}).get(key)
    return Msg(english, zh if isinstance(zh, str) else None)


def template_fields(template: str) -> set[str]:
    """Placeholders of a template (used by the completeness tests)."""
    return _fields(template)


# Chinese text: ideographs, and with them CJK and full-width punctuation and curly quotes.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK = _HAN + "\u2e80-\u2fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])(?<!\\d号)(?<!号文) +(?=[{_CJK}])")  # keeps `191号文 三.1`, `164号 自启动`
_HAN_LATIN = re.compile(f"(?<=[{_HAN}])(?=[A-Za-z])|(?<=[A-Za-z])(?=[{_HAN}])")
_HAN_START = re.compile(f"^[{_HAN}]")
_HAN_END = re.compile(f"[{_HAN}]$")


def tidy(msg: Msg) -> Msg:
    """The Chinese text spaced the usual way: no space between two Chinese characters (`1 项 的` → `1 项的`), one
    between Chinese and Latin words or code (`读取Android ID的` → `读取 Android ID 的`). Code spans keep their
    text; digits stay joined (`191号文`). Rules opt in (templates leave spaces around placeholders)."""
    if not msg.zh:
        return msg
    parts = msg.zh.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans to respect
        return Msg(msg.en, _HAN_LATIN.sub(" ", _CJK_GAP.sub("", msg.zh)))
    for i in range(0, len(parts), 2):  # the text between code spans
        text = _HAN_LATIN.sub(" ", _CJK_GAP.sub("", parts[i]))
        if i > 0 and _HAN_START.match(text):
            text = " " + text
        if i < len(parts) - 1 and _HAN_END.search(text):
            text += " "
        parts[i] = text
    return Msg(msg.en, "`".join(parts))
