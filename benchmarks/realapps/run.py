#!/usr/bin/env python3
"""Measure pipl-lint on the labelled real-app corpus: precision and recall per category and per rule (issue 12).

    python benchmarks/realapps/run.py [--apps-dir benchmarks/realapps/apps] [--mirror /work/.mirror]
        [--work /work/realapps] [--pipl-lint CMD] [--only slug,...] [--heldout | --all] [--json OUT]
        [--jobs N] [--compare OLD.json] [--reuse RUN.json]

For each app file (`apps/<slug>.toml`, format in README.md; tuning apps only unless `--heldout`/`--all`):
  1. find the fetched snapshot's git directory under the mirror folder (`fetch github:owner/name` puts it at
     MIRROR/owner+name/...); an app that was not fetched is reported and skipped;
  2. extract the pinned commit OUTSIDE the repository, into WORK/<slug>-<commit[:10]> (reused when present);
  3. run `CMD check <folder/subdir> --format json --no-cache` and measure its wall time and peak RSS;
  4. match the findings against the labels.

A label is found when a finding of its category (and of its rule, when the label names one) is on the
labelled file within one line, or has a related location (where a helper the reported entry call leads into
collects) or a trace step on that file within one line. A finding with related locations is scored once per
collecting call (deduplicated across the entry calls that lead to it), as such findings were reported before
they moved to the entry call, so numbers stay comparable (`units`). A finding is a true
positive when it matches a violation label, a false positive when it matches only clean labels, and
"unreviewed" when it matches no label (it needs a label). `--json OUT` stores every number and every
finding, so `--compare OLD.json` can re-score an older run against today's labels (the same label set) and
print precision and recall before/after per category; `--reuse RUN.json` scores a stored run instead of
running the tool again.

Exit codes: 0 every selected app measured, 1 some app skipped (not fetched) or the tool failed on it,
2 usage error or an invalid app file. Standard library only; not run in CI (tests/test_realapps_runner.py
tests it on a local fixture).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("early-collection", "excessive-permission", "consent-flow")
RULE_PREFIX = {"EC": "early-collection", "EP": "excessive-permission", "CF": "consent-flow"}
VERDICTS = ("violation", "clean")
KINDS = frozenset(
    {
        "chinese-sdks",
        "modern-kotlin",
        "legacy-java",
        "flavours",
        "custom-sourcesets",
        "consent-dialog",
        "no-consent-dialog",
        "multi-module",
        "compose",
    }
)
APP_KEYS = {
    "repo": str,
    "commit": str,
    "subdir": str,
    "heldout": bool,
    "kinds": list,
    "sdks": list,
    "consent": str,
    "notes": str,
    "unshipped": list,
    "distribution": str,
    "label": list,
}
# Where the app is published, handed to pipl-lint as its `distribution` setting (google-play: on Google Play,
# possibly F-Droid too; china-stores: Chinese app stores, not Play; both; elsewhere: neither, e.g. GitHub releases).
DISTRIBUTIONS = ("google-play", "china-stores", "both", "elsewhere")
APP_REQUIRED = ("repo", "commit", "heldout", "label")
LABEL_KEYS = {"file": str, "line": int, "category": str, "rule": str, "verdict": str, "reason": str}
LABEL_REQUIRED = ("file", "line", "category", "verdict", "reason")
REPO_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,38}/[A-Za-z0-9._-]{1,100}")
COMMIT_RE = re.compile(r"[0-9a-f]{40}")
RULE_RE = re.compile(r"(EC|EP|CF)\d{3}")
LINE_SLACK = 1
JSON_VERSION = 1


class AppFileError(Exception):
    """An app file that breaks the corpus format; the message names the file (and the label index)."""


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    category: str
    rule: str | None
    verdict: str
    reason: str


@dataclass(frozen=True)
class App:
    slug: str
    source: Path
    repo: str
    commit: str
    subdir: str
    heldout: bool
    labels: tuple[Label, ...]
    # Folders with sources that the build does not include (a module missing from settings.gradle), checked by
    # the labeller: not counted among the shipped source files the tool must read.
    unshipped: tuple[str, ...] = ()
    distribution: str = "both"


@dataclass(frozen=True)
class Step:
    path: str
    line: int


@dataclass(frozen=True)
class Related:
    """Where a finding on an entry call collects, with the path through the entry call to it."""

    path: str
    line: int
    trace: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    path: str
    line: int
    message: str
    trace: tuple[Step, ...]
    related: tuple[Related, ...] = ()


@dataclass
class Run:
    """What running the tool on one app produced (or why it did not run)."""

    status: str  # "ok" | "skipped" | "failed"
    detail: str = ""
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    exit_code: int | None = None
    tool_errors: int = 0
    files: int | None = None
    missing_blobs: int = 0
    shipped_sources: int | None = None  # Kotlin/Java files in the app's own shipped source folders


# ---------------------------------------------------------------- app files


def load_app(path: Path) -> App:
    """Parse and validate one app file strictly."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AppFileError(f"{path}: not readable TOML: {exc}") from exc
    _check_keys(data, APP_KEYS, APP_REQUIRED, str(path))
    repo, commit = data["repo"], data["commit"]
    if not REPO_RE.fullmatch(repo):
        raise AppFileError(f"{path}: repo {repo!r} is not owner/name")
    slug = repo.replace("/", "-").lower()
    if path.stem != slug:
        raise AppFileError(f"{path}: the file of repo {repo} must be named {slug}.toml")
    if not COMMIT_RE.fullmatch(commit):
        raise AppFileError(f"{path}: commit {commit!r} is not 40 lower-case hex digits")
    subdir = data.get("subdir", "")
    if not _relative_path_ok(subdir, allow_empty=True):
        raise AppFileError(f"{path}: subdir {subdir!r} must be a relative '/'-separated path inside the repo")
    bad_kinds = [k for k in data.get("kinds", []) if k not in KINDS]
    if bad_kinds:
        raise AppFileError(f"{path}: unknown kinds {bad_kinds}; known: {sorted(KINDS)}")
    if not all(isinstance(s, str) for s in data.get("sdks", [])):
        raise AppFileError(f"{path}: sdks must be a list of strings")
    unshipped = data.get("unshipped", [])
    if not all(isinstance(u, str) and _relative_path_ok(u, allow_empty=False) for u in unshipped):
        raise AppFileError(f"{path}: unshipped must be a list of relative folders")
    distribution = data.get("distribution", "both")
    if distribution not in DISTRIBUTIONS:
        raise AppFileError(f"{path}: distribution {distribution!r} is not one of {', '.join(DISTRIBUTIONS)}")
    labels = tuple(_load_label(raw, f"{path}: label {i}") for i, raw in enumerate(data["label"]))
    # two problems of one rule on one line (two SDKs' manifest switches) are two labels; opposite verdicts
    # on the same spot are a mistake
    seen: dict[tuple[str, int, str, str | None], int] = {}
    for i, label in enumerate(labels):
        key = (label.file, label.line, label.category, label.rule)
        if key in seen and labels[seen[key]].verdict != label.verdict:
            raise AppFileError(f"{path}: label {i} contradicts label {seen[key]} ({label.file}:{label.line})")
        seen.setdefault(key, i)
    return App(slug, path, repo, commit, subdir, data["heldout"], labels, tuple(unshipped), distribution)


def _load_label(raw: object, where: str) -> Label:
    if not isinstance(raw, dict):
        raise AppFileError(f"{where}: must be a [[label]] table")
    _check_keys(raw, LABEL_KEYS, LABEL_REQUIRED, where)
    if not _relative_path_ok(raw["file"], allow_empty=False):
        raise AppFileError(f"{where}: file {raw['file']!r} must be relative to the scanned folder, '/' separators")
    if raw["line"] < 1:
        raise AppFileError(f"{where}: line must be >= 1")
    if raw["category"] not in CATEGORIES:
        raise AppFileError(f"{where}: category {raw['category']!r} is not one of {', '.join(CATEGORIES)}")
    if raw["verdict"] not in VERDICTS:
        raise AppFileError(f"{where}: verdict {raw['verdict']!r} is not violation or clean")
    rule = raw.get("rule")
    if rule is not None:
        if not RULE_RE.fullmatch(rule):
            raise AppFileError(f"{where}: rule {rule!r} is not an EC/EP/CF rule id")
        if RULE_PREFIX[rule[:2]] != raw["category"]:
            raise AppFileError(f"{where}: rule {rule} is not of category {raw['category']}")
    if not raw["reason"].strip():
        raise AppFileError(f"{where}: reason is empty")
    return Label(raw["file"], raw["line"], raw["category"], rule, raw["verdict"], raw["reason"])


def _check_keys(data: dict[str, Any], types: dict[str, type], required: Sequence[str], where: str) -> None:
    unknown = sorted(set(data) - set(types))
    if unknown:
        raise AppFileError(f"{where}: unknown keys {unknown}")
    missing = [k for k in required if k not in data]
    if missing:
        raise AppFileError(f"{where}: missing {missing}")
    for key, value in data.items():
        expected = types[key]
        # bool is an int in Python: a `line = true` must not pass
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise AppFileError(f"{where}: {key} must be a {expected.__name__}, not {type(value).__name__}")


def _relative_path_ok(value: str, *, allow_empty: bool) -> bool:
    if value == "":
        return allow_empty
    return "\\" not in value and all(part not in ("", ".", "..") for part in value.split("/"))


def load_apps(apps_dir: Path) -> list[App]:
    files = sorted(apps_dir.glob("*.toml"))
    if not files:
        raise AppFileError(f"{apps_dir}: no app files (*.toml)")
    return [load_app(f) for f in files]


# ---------------------------------------------------------------- snapshots


def find_git_dir(mirror: Path, repo: str) -> Path | None:
    """The git directory fetch made for `repo` under `mirror` (MIRROR/owner+name/repo[/.git])."""
    wanted = repo.replace("/", "+").lower()
    bases = [p for p in (mirror.iterdir() if mirror.is_dir() else []) if p.name.lower() == wanted and p.is_dir()]
    for base in sorted(bases):
        for candidate in (base / "repo" / ".git", base / "repo", base):
            if _is_git_dir(candidate):
                return candidate
        for root, dirs, _files in os.walk(base):
            depth = len(Path(root).relative_to(base).parts)
            if _is_git_dir(Path(root)):
                return Path(root)
            if depth >= 3:
                dirs.clear()
    return None


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def extract(git_dir: Path, commit: str, dest: Path) -> int:
    """Extract `commit` into `dest` (reused when already there); returns how many blobs the snapshot lacked."""
    marker = dest / ".realapps-extracted"
    if marker.is_file():
        return int(marker.read_text() or 0)
    if subprocess.run(_git(git_dir, "cat-file", "-e", f"{commit}^{{commit}}"), capture_output=True).returncode:
        raise LookupError(f"commit {commit[:10]} is not in the snapshot {git_dir}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        missing = _missing_blobs(git_dir, commit)
        pathspec = [f":(exclude,literal){p}" for p in missing]
        archive = subprocess.Popen(
            [*_git(git_dir, "archive", "--format=tar", commit), "--", ".", *pathspec],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        untar = subprocess.run(["tar", "-x", "-C", str(part)], stdin=archive.stdout, capture_output=True)
        assert archive.stdout is not None and archive.stderr is not None
        archive.stdout.close()
        archive_err = archive.stderr.read().decode(errors="replace")
        if archive.wait() or untar.returncode:
            raise RuntimeError(f"extracting {commit[:10]} failed: {archive_err or untar.stderr.decode()}".strip())
        (part / marker.name).write_text(str(len(missing)))
        if dest.exists():
            shutil.rmtree(dest)
        part.rename(dest)
    finally:
        if part.exists():
            shutil.rmtree(part, ignore_errors=True)
    return len(missing)


def _missing_blobs(git_dir: Path, commit: str) -> list[str]:
    """Paths whose blobs a snapshot left out (fetch drops its largest files)."""
    listing = subprocess.run(_git(git_dir, "ls-tree", "-r", "-z", commit), capture_output=True, check=True).stdout
    entries = []
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        meta, _, name = raw.partition(b"\t")
        _mode, kind, sha = meta.split()
        if kind == b"blob":
            entries.append((sha.decode(), name.decode(errors="surrogateescape")))
    if not entries:
        return []
    check = subprocess.run(
        _git(git_dir, "cat-file", "--batch-check"),
        input="".join(f"{sha}\n" for sha, _ in entries).encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for (_, name), line in zip(entries, check.splitlines(), strict=True) if line.endswith(" missing")]


def _git(git_dir: Path, *args: str) -> list[str]:
    return ["git", f"--git-dir={git_dir}", *args]


# ---------------------------------------------------------------- running the tool


def run_tool(cmd: Sequence[str], folder: Path, distribution: str = "both") -> Run:
    """Run `cmd check . --format json --no-cache` in `folder`; wall time and peak RSS come from wait4. The app's
    `distribution` goes to the tool in a configuration file outside the snapshot (`--config`)."""
    with tempfile.TemporaryDirectory(prefix="realapps-") as tmp:
        out, err = Path(tmp, "out.json"), Path(tmp, "err.txt")
        config: list[str] = []
        if distribution != "both":
            Path(tmp, "pipl-lint.toml").write_text(f'distribution = "{distribution}"\n', encoding="utf-8")
            config = ["--config", str(Path(tmp, "pipl-lint.toml"))]
        with out.open("wb") as stdout, err.open("wb") as stderr:
            start = time.perf_counter()
            proc = subprocess.Popen([*cmd, "check", ".", "--format", "json", "--no-cache", *config], cwd=folder,
                                    stdout=stdout, stderr=stderr)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024  # kilobytes on Linux
        try:
            doc = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            tail = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            return Run("failed", f"exit {code}, no JSON report: {' | '.join(tail)}", seconds=seconds,
                       peak_rss_mb=peak, exit_code=code)
    root = Path(doc.get("root") or folder)
    findings = [_finding(raw, root, folder) for raw in doc.get("findings", [])]
    summary = doc.get("summary") or {}
    errors = doc.get("errors") or []
    status = "ok" if code in (0, 1) else "failed"
    return Run(status, "" if status == "ok" else f"exit {code}", findings, seconds, peak, code,
               len(errors), summary.get("files"))


def _finding(raw: dict[str, Any], root: Path, folder: Path) -> Finding:
    def step(s: dict[str, Any]) -> Step:
        return Step(_relative(s.get("path", ""), root, folder), int(s.get("line", 0)))

    trace = tuple(step(s) for s in raw.get("trace", []))
    related = tuple(Related(*astuple(step(r)), tuple(step(s) for s in r.get("trace", [])))
                    for r in raw.get("related", []))
    return Finding(raw["rule"], raw["category"], _relative(raw["path"], root, folder), int(raw["line"]),
                   raw.get("message", ""), trace, related)


def _relative(path: str, root: Path, folder: Path) -> str:
    """A report path made relative to the scanned folder (the tool reports relative to its root)."""
    absolute = (root / path).resolve()
    try:
        return absolute.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path


# ---------------------------------------------------------------- scoring


# Rules about the app as a whole (no consent gate, no withdrawal, no opt-out, no account deletion): the tool
# reports them on the Application class, a labeller may put them on the manifest's <application>: a label
# naming one of them is found by a finding of that rule anywhere in the app.
APP_LEVEL_RULES = frozenset({"CF301", "CF310", "CF311", "CF312"})


# The permission names pipl-lint knows (the last part of each catalogued name: CAMERA, READ_SMS, ...): an
# excessive-permission finding names its permission in backquotes, a label names it in its reason.
PERMISSIONS_TOML = Path(__file__).resolve().parents[2] / "rules" / "data" / "permissions.toml"
WORD_RE = re.compile(r"[A-Za-z0-9_.]+")
QUOTED_RE = re.compile(r"`([A-Za-z0-9_.]+)`")


def _permission_names() -> frozenset[str]:
    try:
        with PERMISSIONS_TOML.open("rb") as fh:
            entries = tomllib.load(fh).get("permission", [])
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset()
    return frozenset(str(e.get("name", "")).rsplit(".", 1)[-1] for e in entries if isinstance(e, dict))


PERMISSION_NAMES = _permission_names()


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def finding_permission(finding: Finding) -> str | None:
    """The permission an excessive-permission finding on a manifest is about (on its `<uses-permission>`): the
    first permission name it quotes. None elsewhere (a dependency line merges several permissions)."""
    if finding.category != "excessive-permission" or not finding.path.endswith("AndroidManifest.xml"):
        return None
    return next((n for m in QUOTED_RE.findall(finding.message) if (n := _short(m)) in PERMISSION_NAMES), None)


def label_permissions(label: Label) -> frozenset[str]:
    """The permissions an excessive-permission label's reason names (empty: it names none)."""
    if label.category != "excessive-permission":
        return frozenset()
    return frozenset(n for w in WORD_RE.findall(label.reason) if (n := _short(w)) in PERMISSION_NAMES)


def distance(label: Label, finding: Finding) -> int | None:
    """How many lines the finding (or a step of its trace) is from the label; None when it cannot match it.
    An excessive-permission finding on a manifest about one permission cannot match a label whose reason
    names only others (the `<uses-permission>` of the next line has its own permission, labelled or not)."""
    if finding.category != label.category or (label.rule is not None and finding.rule != label.rule):
        return None
    permission, named = finding_permission(finding), label_permissions(label)
    if permission is not None and named and permission not in named:
        return None
    if label.rule in APP_LEVEL_RULES:
        return 0
    spots = [(finding.path, finding.line), *((s.path, s.line) for s in (*finding.related, *finding.trace))]
    gaps = [abs(line - label.line) for path, line in spots if path == label.file]
    return min(gaps) if gaps and min(gaps) <= LINE_SLACK else None


def matched_labels(finding: Finding, labels: Sequence[Label]) -> list[Label]:
    """The labels a finding matches: the nearest ones, so a finding on line 11 is not also credited to the
    label of line 10 when line 11 has its own label (adjacent <uses-permission> elements)."""
    near = [(d, label) for label in labels if (d := distance(label, finding)) is not None]
    best = min((d for d, _ in near), default=None)
    return [label for d, label in near if d == best]


@dataclass
class Counts:
    violations: int = 0
    cleans: int = 0
    found: int = 0
    tp: int = 0
    fp: int = 0
    unreviewed: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float | None:
        return self.found / self.violations if self.violations else None

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def as_json(self) -> dict[str, Any]:
        return {**vars(self), "recall": self.recall, "precision": self.precision}


@dataclass
class Score:
    by_category: dict[str, Counts] = field(default_factory=dict)
    by_rule: dict[str, Counts] = field(default_factory=dict)
    misses: list[tuple[Label, str]] = field(default_factory=list)
    false_positives: list[tuple[Finding, Label]] = field(default_factory=list)
    unreviewed: list[Finding] = field(default_factory=list)

    def counts(self, category: str, rule: str) -> tuple[Counts, Counts]:
        return self.by_category.setdefault(category, Counts()), self.by_rule.setdefault(rule, Counts())

    def add(self, other: Score) -> None:
        for mine, theirs in ((self.by_category, other.by_category), (self.by_rule, other.by_rule)):
            for key, counts in theirs.items():
                mine.setdefault(key, Counts()).add(counts)
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.unreviewed += other.unreviewed


def units(findings: Sequence[Finding]) -> list[Finding]:
    """What is scored. An early-collection finding whose collecting call sits in a helper is reported on the
    entry call that leads into it, with the collecting calls as related locations (each with its own path);
    before, it was reported at each collecting call, once however many entry calls led there, with the walk's
    first path. So that numbers stay comparable across that change, such a finding counts once per collecting
    call, deduplicated across the entry calls, and matches as the finding at that call did: by that call and
    its shortest path (ties: the first finding's)."""
    out: list[Finding] = []
    at: dict[tuple[str, str, int], int] = {}
    for f in findings:
        if not f.related:
            out.append(f)
            continue
        for r in f.related:
            unit = Finding(f.rule, f.category, r.path, r.line, f.message, r.trace or f.trace)
            key = (f.rule, r.path, r.line)
            if key not in at:
                at[key] = len(out)
                out.append(unit)
            elif len(unit.trace) < len(out[at[key]].trace):
                out[at[key]] = unit
    return out


def score(labels: Iterable[Label], findings: Sequence[Finding]) -> Score:
    result = Score()
    labels = list(labels)
    findings = units(findings)
    matched = [matched_labels(f, labels) for f in findings]
    for label in labels:
        hits = [f for f, hit in zip(findings, matched, strict=True) if label in hit]
        rule = label.rule or (hits[0].rule if hits else f"{_prefix(label.category)}?")
        for counts in result.counts(label.category, rule):
            if label.verdict == "violation":
                counts.violations += 1
                counts.found += bool(hits)
            else:
                counts.cleans += 1
        if label.verdict == "violation" and not hits:
            result.misses.append((label, rule))
    for finding, hit in zip(findings, matched, strict=True):
        for counts in result.counts(finding.category, finding.rule):
            if any(label.verdict == "violation" for label in hit):
                counts.tp += 1
            elif hit:
                counts.fp += 1
            else:
                counts.unreviewed += 1
        if hit and all(label.verdict == "clean" for label in hit):
            result.false_positives.append((finding, hit[0]))
        elif not hit:
            result.unreviewed.append(finding)
    return result


def _prefix(category: str) -> str:
    return next((p for p, c in RULE_PREFIX.items() if c == category), category)


# ---------------------------------------------------------------- reporting


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def table(score_: Score, indent: str = "  ") -> list[str]:
    head = f"{'':22} {'V':>4} {'C':>4} {'found':>6} {'recall':>7} {'TP':>5} {'FP':>5} {'unrev':>6} {'precision':>9}"
    lines = [indent + head]
    rows = [(c, score_.by_category[c]) for c in sorted(score_.by_category)]
    rows += [(f"  {r}", score_.by_rule[r]) for r in sorted(score_.by_rule)]
    for name, c in rows:
        lines.append(
            f"{indent}{name:22} {c.violations:>4} {c.cleans:>4} {c.found:>6} {_pct(c.recall):>7} {c.tp:>5} "
            f"{c.fp:>5} {c.unreviewed:>6} {_pct(c.precision):>9}"
        )
    return lines


def report_app(app: App, run: Run, score_: Score | None, list_unreviewed: bool) -> list[str]:
    kind = "held-back" if app.heldout else "tuning"
    lines = [f"== {app.slug} ({app.repo} @ {app.commit[:10]}, {kind}, {len(app.labels)} labels)"]
    if run.status != "ok" or score_ is None:
        return [*lines, f"  {run.status}: {run.detail}"]
    files = "?" if run.files is None else str(run.files)
    if run.files is not None and run.shipped_sources is not None and run.files < run.shipped_sources:
        files += f" — FEWER than the {run.shipped_sources} in its shipped source folders"
    lines.append(
        f"  time {run.seconds:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB, files read {files}, "
        f"tool errors {run.tool_errors}, exit {run.exit_code}"
        + (f", snapshot lacks {run.missing_blobs} files" if run.missing_blobs else "")
    )
    lines += table(score_)
    lines += [f"  miss  {label.file}:{label.line} {rule} ({label.category}): {label.reason}"
              for label, rule in score_.misses]
    lines += [f"  FP    {f.path}:{f.line} {f.rule}: {f.message[:120]} [clean: {label.reason}]"
              for f, label in score_.false_positives]
    if score_.unreviewed:
        lines.append(f"  unreviewed findings: {len(score_.unreviewed)}")
        if list_unreviewed:
            lines += [f"  ?     {f.path}:{f.line} {f.rule}: {f.message[:120]}" for f in score_.unreviewed]
    return lines


def run_json(apps: Sequence[App], runs: dict[str, Run], scores: dict[str, Score], total: Score,
             cmd: Sequence[str]) -> dict[str, Any]:
    def stats(s: Score) -> dict[str, Any]:
        return {"by_category": {k: v.as_json() for k, v in sorted(s.by_category.items())},
                "by_rule": {k: v.as_json() for k, v in sorted(s.by_rule.items())}}

    out: dict[str, Any] = {"version": JSON_VERSION, "pipl_lint": list(cmd), "apps": {}}
    for app in apps:
        run = runs[app.slug]
        entry: dict[str, Any] = {
            "repo": app.repo, "commit": app.commit, "heldout": app.heldout, "status": run.status,
            "detail": run.detail, "labels": len(app.labels),
        }
        if run.status == "ok":
            s = scores[app.slug]
            entry |= {
                "seconds": round(run.seconds, 3), "peak_rss_mb": round(run.peak_rss_mb, 1),
                "exit_code": run.exit_code, "tool_errors": run.tool_errors, "files": run.files,
                "shipped_sources": run.shipped_sources,
                "missing_blobs": run.missing_blobs, **stats(s),
                "misses": [{"file": lb.file, "line": lb.line, "rule": r, "category": lb.category}
                           for lb, r in s.misses],
                "false_positives": [{"file": f.path, "line": f.line, "rule": f.rule} for f, _ in s.false_positives],
                "unreviewed": [{"file": f.path, "line": f.line, "rule": f.rule} for f in s.unreviewed],
                "findings": [
                    {"rule": f.rule, "category": f.category, "path": f.path, "line": f.line,
                     "message": f.message, "trace": [[st.path, st.line] for st in f.trace],
                     "related": [[r.path, r.line, [[st.path, st.line] for st in r.trace]] for r in f.related]}
                    for f in run.findings
                ],
            }
        out["apps"][app.slug] = entry
    out["total"] = stats(total)
    return out


def stored_findings(doc: dict[str, Any]) -> dict[tuple[str, str], list[Finding]]:
    """Findings of a stored run, keyed by (slug, commit)."""
    if doc.get("version") != JSON_VERSION:
        raise ValueError(f"not a realapps run file of version {JSON_VERSION}")
    result = {}
    for slug, entry in doc["apps"].items():
        if entry.get("status") == "ok":
            result[(slug, entry["commit"])] = [
                Finding(f["rule"], f["category"], f["path"], f["line"], f.get("message", ""),
                        tuple(Step(p, ln) for p, ln in f["trace"]),
                        tuple(Related(p, ln, tuple(Step(*st) for st in (rest[0] if rest else ())))
                              for p, ln, *rest in f.get("related", [])))
                for f in entry["findings"]
            ]
    return result


def compare(apps: Sequence[App], old: dict[tuple[str, str], list[Finding]],
            new: dict[tuple[str, str], list[Finding]]) -> list[str]:
    """Before/after per category, both runs scored against today's labels, on the apps both runs measured."""
    common = [a for a in apps if (a.slug, a.commit) in old and (a.slug, a.commit) in new]
    before, after = Score(), Score()
    for app in common:
        before.add(score(app.labels, old[(app.slug, app.commit)]))
        after.add(score(app.labels, new[(app.slug, app.commit)]))
    lines = [f"before/after on {len(common)} apps measured by both runs (same labels):",
             f"  {'':22} {'precision':>19} {'recall':>17} {'TP':>11} {'FP':>11} {'unrev':>11}"]
    for category in sorted(set(before.by_category) | set(after.by_category)):
        b, a = before.by_category.get(category, Counts()), after.by_category.get(category, Counts())
        lines.append(
            f"  {category:22} {_pct(b.precision):>8} -> {_pct(a.precision):>6} {_pct(b.recall):>7} -> "
            f"{_pct(a.recall):>6} {b.tp:>4} -> {a.tp:<4} {b.fp:>4} -> {a.fp:<4} {b.unreviewed:>4} -> {a.unreviewed:<4}"
        )
    return lines


# ---------------------------------------------------------------- main


def measure(app: App, cmd: Sequence[str], mirror: Path, work: Path) -> Run:
    git_dir = find_git_dir(mirror, app.repo)
    if git_dir is None:
        return Run("skipped", f"not fetched: fetch github:{app.repo}")
    dest = work / f"{app.slug}-{app.commit[:10]}"
    try:
        missing = extract(git_dir, app.commit, dest)
    except (LookupError, RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        return Run("skipped", f"{exc}; fetch github:{app.repo} again")
    folder = dest / app.subdir if app.subdir else dest
    if not folder.is_dir():
        return Run("failed", f"subdir {app.subdir!r} is not in the snapshot")
    run = run_tool(cmd, folder, app.distribution)
    run.missing_blobs = missing
    run.shipped_sources = count_shipped_sources(folder, app.unshipped)
    return run


NOT_SHIPPED_SETS = re.compile(r"^(test|androidTest|testFixtures|sharedTest|debug|test\w+|androidTest\w+)$")
BUILD_LOGIC = frozenset({"buildSrc", "build-logic", "build", ".gradle"})


def count_shipped_sources(folder: Path, unshipped: Sequence[str] = ()) -> int:
    """Kotlin/Java files in `<module>/src/<set>/{java,kotlin}/` for every source set but tests and debug, outside
    build logic and the folders the labeller marked as not part of the build: a floor for what the tool must
    read (custom `sourceSets` folders and Eclipse layouts only add to what it reads)."""
    skip = {folder / u for u in unshipped}
    count = 0
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if d not in BUILD_LOGIC and here / d not in skip]
        parts = here.relative_to(folder).parts
        if "src" not in parts:
            continue
        i = len(parts) - 1 - parts[::-1].index("src")
        if len(parts) < i + 3 or NOT_SHIPPED_SETS.match(parts[i + 1]) or parts[i + 2] not in ("java", "kotlin"):
            continue
        count += sum(1 for f in files if f.endswith((".kt", ".java")))
    return count


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps-dir", type=Path, default=here / "apps")
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--work", type=Path, default=Path("/work/realapps"))
    parser.add_argument("--pipl-lint", default="pipl-lint", help="command to run, e.g. '/venv/bin/pipl-lint'")
    parser.add_argument("--only", default="", help="comma-separated slugs")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--heldout", action="store_true", help="only the held-back apps")
    which.add_argument("--all", action="store_true", help="tuning and held-back apps")
    parser.add_argument("--json", type=Path, help="write every number and finding here")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--compare", type=Path, metavar="OLD.json", help="print before/after against a stored run")
    parser.add_argument("--reuse", type=Path, metavar="RUN.json", help="score a stored run instead of running")
    parser.add_argument("--list-unreviewed", action="store_true", help="list each unreviewed finding")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        apps = load_apps(args.apps_dir)
        old = stored_findings(json.loads(args.compare.read_text())) if args.compare else None
        reused = stored_findings(json.loads(args.reuse.read_text())) if args.reuse else None
    except AppFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"error: stored run: {exc}", file=sys.stderr)
        return 2
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - {a.slug for a in apps}
    if unknown:
        print(f"error: --only names unknown apps: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    apps = [a for a in apps if (not only or a.slug in only) and (args.all or a.heldout == args.heldout)]
    cmd = shlex.split(args.pipl_lint)
    executable = shutil.which(cmd[0]) if cmd else None
    if executable is None:
        print(f"error: --pipl-lint: {args.pipl_lint!r} is not an executable command", file=sys.stderr)
        return 2
    cmd[0] = os.path.abspath(executable)  # the tool runs inside each snapshot's folder (keep venv symlinks)

    runs: dict[str, Run] = {}
    if reused is not None:
        for app in apps:
            found = reused.get((app.slug, app.commit))
            runs[app.slug] = Run("ok", findings=found) if found is not None else Run("skipped", "not in --reuse run")
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {a.slug: pool.submit(measure, a, cmd, args.mirror, args.work) for a in apps}
            for app in apps:
                runs[app.slug] = futures[app.slug].result()

    scores: dict[str, Score] = {}
    total = Score()
    for app in apps:
        run = runs[app.slug]
        if run.status == "ok":
            scores[app.slug] = score(app.labels, run.findings)
            total.add(scores[app.slug])
        print("\n".join(report_app(app, run, scores.get(app.slug), args.list_unreviewed)))
    measured = [runs[a.slug] for a in apps if runs[a.slug].status == "ok"]
    print(f"== total: {len(measured)} of {len(apps)} apps measured, "
          f"{sum(r.seconds for r in measured):.1f} s, max peak RSS "
          f"{max((r.peak_rss_mb for r in measured), default=0):.0f} MB, "
          f"tool errors {sum(r.tool_errors for r in measured)}, unreviewed findings {len(total.unreviewed)}")
    short = [a.slug for a in apps if runs[a.slug].status == "ok" and runs[a.slug].files is not None
             and runs[a.slug].shipped_sources is not None
             and (runs[a.slug].files or 0) < (runs[a.slug].shipped_sources or 0)]
    print(f"   coverage: {len(measured) - len(short)} of {len(measured)} apps read at least every file of their "
          f"shipped source folders" + (f"; fewer: {', '.join(short)}" if short else ""))
    print("\n".join(table(total)))
    for app in apps:
        if runs[app.slug].status != "ok":
            print(f"  {app.slug}: {runs[app.slug].status}: {runs[app.slug].detail}")
    if old is not None:
        new = {(a.slug, a.commit): runs[a.slug].findings for a in apps if runs[a.slug].status == "ok"}
        print("\n".join(compare(apps, old, new)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(run_json(apps, runs, scores, total, cmd), indent=1) + "\n")
    return 0 if len(measured) == len(apps) else 1


if __name__ == "__main__":
    sys.exit(main())
