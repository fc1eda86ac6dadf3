"""Applying the edits that findings carry: `check --fix` (write), `--diff` (show), `--unsafe-fixes`.

The edits of one finding are one fix: all applied or none. Fixes whose edits overlap or touch an edit
already chosen are left for the next pass (the caller re-runs the analysis and plans again, so a fix that
makes another unnecessary is not applied twice). A file is only edited when its bytes decode and
re-encode exactly (same encoding, same byte-order mark); everything outside the edited ranges stays
byte-for-byte the same, inserted line breaks follow the file's own (`\\r\\n` or `\\n`), a deletion that
would leave its line blank removes the whole line (with its line break), and the write is atomic and keeps
the file mode.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipl_lint.findings import Applicability, Edit, Finding
from pipl_lint.io import write_bytes
from pipl_lint.parse.decode import BinaryFile, Decoded, decode


@dataclass(frozen=True, slots=True)
class Plan:
    """The fixes chosen for one pass: edits per file and the findings they fix."""

    edits: dict[str, list[Edit]] = field(default_factory=dict)
    fixed: list[Finding] = field(default_factory=list)
    skipped_unsafe: int = 0  # findings with only unsafe fixes, when those are not allowed


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str  # relative to the scan root
    before: str
    after: str
    encoded: bytes  # the new file content


class FixError(Exception):
    """A file cannot be edited safely; the message says why."""


def _touch(a: Edit, b: Edit) -> bool:
    """Overlapping or adjacent ranges, or two insertions at one point: order would matter."""
    return a.path == b.path and a.start <= b.end and b.start <= a.end


def allowed(f: Finding, unsafe: bool) -> bool:
    return bool(f.edits) and (unsafe or all(e.applicability == Applicability.SAFE for e in f.edits))


def plan(findings: Iterable[Finding], unsafe: bool = False) -> Plan:
    chosen: list[Edit] = []
    fixed: list[Finding] = []
    skipped = 0
    seen: set[tuple[str, int, int, str]] = set()
    for f in sorted(findings, key=lambda f: f.sort_key):
        if not f.edits:
            continue
        if not allowed(f, unsafe):
            skipped += 1
            continue
        new = [e for e in f.edits if (e.path, e.start, e.end, e.text) not in seen]
        if not new:  # the same edit as an earlier finding's: fixed by it
            fixed.append(f)
            continue
        if any(_touch(e, c) for e in new for c in chosen):
            continue
        chosen += new
        seen.update((e.path, e.start, e.end, e.text) for e in new)
        fixed.append(f)
    by_path: dict[str, list[Edit]] = {}
    for e in chosen:
        by_path.setdefault(e.path, []).append(e)
    return Plan(by_path, fixed, skipped)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """`text` with non-overlapping `edits` applied (character offsets into `text`)."""
    out = text
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if not (0 <= e.start <= e.end <= len(text)):
            raise FixError(f"{e.path}: edit [{e.start}, {e.end}) is outside the file ({len(text)} characters)")
        out = out[: e.start] + e.text + out[e.end :]
    return out


def _decode_exact(path: Path, data: bytes) -> Decoded:
    try:
        decoded = decode(data)
    except BinaryFile as exc:
        raise FixError(f"{path}: {exc}") from None
    if decoded.warning or decoded.bom + decoded.text.encode(decoded.encoding) != data:
        raise FixError(f"{path}: not edited: its bytes do not round-trip through {decoded.encoding}")
    return decoded


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def read_text(path: Path) -> str:
    """The text of a file that fixes may edit (its bytes must round-trip through the decoding)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _decode_exact(path, data).text


def change_for(root: Path, rel: str, edits: list[Edit]) -> FileChange:
    path = root / rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixError(f"{rel}: cannot read: {exc.strerror or exc}") from None
    decoded = _decode_exact(path, data)
    nl = _newline(decoded.text)
    if nl != "\n":
        edits = [Edit(e.path, e.start, e.end, e.text.replace("\r\n", "\n").replace("\n", nl), e.applicability)
                 for e in edits]
    edits = [_whole_line(decoded.text, e) for e in edits]
    after = apply_edits(decoded.text, edits)
    return FileChange(rel, decoded.text, after, decoded.bom + after.encode(decoded.encoding))


def _whole_line(text: str, e: Edit) -> Edit:
    """A deletion that is all there is on its line(s) takes the line(s) and the line break with it."""
    if e.text or not (0 <= e.start < e.end <= len(text)):
        return e
    start = text.rfind("\n", 0, e.start) + 1
    end = text.find("\n", e.end)
    end = len(text) if end < 0 else end + 1
    if text[start:e.start].strip() or text[e.end:end].strip():
        return e
    return Edit(e.path, start, end, "", e.applicability)


def changes(root: Path, chosen: Plan) -> tuple[list[FileChange], list[str]]:
    """The new content of every file the plan edits, and problems with files that cannot be edited."""
    out: list[FileChange] = []
    problems: list[str] = []
    for rel in sorted(chosen.edits):
        try:
            out.append(change_for(root, rel, chosen.edits[rel]))
        except FixError as exc:
            problems.append(str(exc))
    return out, problems


def write(root: Path, file_changes: Iterable[FileChange]) -> int:
    n = 0
    for c in file_changes:
        if c.after != c.before:
            write_bytes(root / c.path, c.encoded)
            n += 1
    return n


def unified_diff(file_changes: Iterable[FileChange]) -> str:
    parts: list[str] = []
    for c in file_changes:
        parts += difflib.unified_diff(c.before.splitlines(keepends=True), c.after.splitlines(keepends=True),
                                      fromfile=f"a/{c.path}", tofile=f"b/{c.path}")
        if parts and not parts[-1].endswith("\n"):
            parts[-1] += "\n\\ No newline at end of file\n"
    return "".join(parts)
