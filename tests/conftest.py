"""Shared test helpers. Tests run the real parsers on fixture projects written for these tests."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# `// expect: EC101`, `// expect: EC101, EC102`, `<!-- expect: EP201 -->`, `# expect: EP201`
EXPECT = re.compile(r"(?://|<!--|#)\s*expect:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)")
# `// collects: EC101`: a related location of a finding (where a helper the reported entry call leads into collects)
COLLECTS = re.compile(r"(?://|<!--|#).*?collects:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)")
TEXT_SUFFIXES = (".kt", ".java", ".xml", ".kts", ".gradle", ".toml")
# A manifest that declares nothing but an application.
BARE_MANIFEST = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application/></manifest>'


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write `files` (path relative to `root` -> text) under `root`, creating folders."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


@pytest.fixture(autouse=True)
def _no_user_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the real home or cache folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home / ".cache" / "pre-commit"))
    monkeypatch.delenv("PIPL_LINT_DEBUG", raising=False)


def expectations(root: Path, marker: re.Pattern[str] = EXPECT) -> set[tuple[str, int, str]]:
    """(path relative to root, line, rule id) for every `expect:` marker (or `marker`) under root."""
    out: set[tuple[str, int, str]] = set()
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(TEXT_SUFFIXES):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                m = marker.search(line)
                if m:
                    for rule in m.group(1).split(","):
                        out.add((rel, lineno, rule.strip()))
    return out


def fixture_dirs() -> Iterator[Path]:
    base = FIXTURES / "rules"
    for rule_dir in sorted(base.iterdir()) if base.is_dir() else ():
        for case in sorted(rule_dir.iterdir()):
            if case.is_dir():
                yield case
