"""Git, for `check --diff-base REV` and `check --staged`: which files changed since a revision or are staged,
and a revision's tree.

Only used when asked for (a subprocess per call, no shell). Paths from git are turned into paths relative
to the scan root, the form findings use.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120


class VcsError(Exception):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def git(cwd: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                              timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise VcsError("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise VcsError(f"git {args[0]} took longer than {TIMEOUT} s") from None
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VcsError(f"git {' '.join(args[:2])}: {msg[-1] if msg else f'exit code {done.returncode}'}")
    return done.stdout if binary else done.stdout.decode("utf-8", "surrogateescape")


def repo_root(path: Path) -> Path:
    return Path(str(git(path, "rev-parse", "--show-toplevel")).strip()).resolve()


def is_shallow(root: Path) -> bool:
    try:
        return str(git(root, "rev-parse", "--is-shallow-repository")).strip() == "true"
    except VcsError:
        return False


UNSHALLOW = "`git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` in actions/checkout)"


def merge_base(root: Path, rev: str) -> str:
    """The commit where the current branch left `rev` (`rev` itself when HEAD is on it). An unknown revision
    or a missing history is a VcsError that says what to do."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except VcsError:
        if is_shallow(root):
            raise VcsError(f"no revision {rev!r} in this shallow clone: fetch it ({UNSHALLOW}, or "
                           f"`git fetch origin {rev}`)") from None
        remote = "fetch it first (`git fetch`)" if "/" in rev else \
            f"a branch only on the remote is `origin/{rev}`, after `git fetch origin {rev}`"
        raise VcsError(f"no revision {rev!r} in this repository: name a branch, tag or commit that exists "
                       f"({remote})") from None
    try:
        return str(git(root, "merge-base", rev, "HEAD")).strip()
    except VcsError:
        if is_shallow(root):
            raise VcsError(f"{rev!r} and HEAD have no common commit in this shallow clone: fetch more history "
                           f"({UNSHALLOW})") from None
        raise VcsError(f"{rev!r} and HEAD share no history: name a revision that HEAD's branch started "
                       "from") from None


def _lines(text: str | bytes) -> list[str]:
    return [line for line in str(text).split("\0") if line]


def changed_files(root: Path, base: str) -> list[str]:
    """Files (relative to the repository root) added, changed or renamed since `base` in the work tree,
    plus untracked files that are not ignored."""
    changed = _lines(git(root, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", base))
    untracked = _lines(git(root, "ls-files", "-z", "--others", "--exclude-standard"))
    return sorted(set(changed) | set(untracked))


@dataclass(frozen=True, slots=True)
class Change:
    """One staged change: `status` is git's letter (A, C, D, M, R, T, U), `path` the path in the index (the
    deleted path for D), `old` the path before a rename or copy."""

    status: str
    path: str
    old: str | None = None


def staged_changes(root: Path) -> list[Change]:
    """What `git commit` would record: the index compared with HEAD (with an unborn HEAD, everything
    staged), renames detected (`git diff --cached --name-status -M`). Honours GIT_INDEX_FILE, which git sets
    for hooks run by `git commit <paths>` / `git commit -a`."""
    fields = _lines(git(root, "diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff"))
    changes: list[Change] = []
    i = 0
    while i < len(fields):
        status = fields[i][:1]
        if status in ("R", "C") and i + 2 < len(fields):
            changes.append(Change(status, fields[i + 2], fields[i + 1]))
            i += 3
        elif i + 1 < len(fields):
            changes.append(Change(status, fields[i + 1]))
            i += 2
        else:
            break
    return changes


def relative_to_scan_root(root: Path, files: list[str], scan_root: Path) -> frozenset[str]:
    out = set()
    for f in files:
        full = root / f
        try:
            out.add(full.relative_to(scan_root).as_posix())
        except ValueError:
            continue  # outside the scanned folder
    return frozenset(out)


def export_tree(root: Path, rev: str, subdir: str, dest: Path) -> Path:
    """Write the files of `rev` under `subdir` (relative to the repository root) into `dest`; returns
    the folder in `dest` that corresponds to `root / subdir`."""
    sub = subdir if subdir and subdir != "." else ""
    if sub and not str(git(root, "ls-tree", "--name-only", rev, "--", sub)).strip():
        data = b""  # the folder did not exist at `rev`: nothing was there
    else:
        data = git(root, "archive", "--format=tar", rev, *(["--", sub] if sub else []), binary=True)
    assert isinstance(data, bytes)
    if data:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
    out = dest / sub if sub else dest
    out.mkdir(parents=True, exist_ok=True)
    return out


def subdir_of(root: Path, path: Path) -> str:
    rel = os.path.relpath(path.resolve(), root)
    if rel.startswith(".."):
        raise VcsError(f"{path} is not inside the repository at {root}")
    return Path(rel).as_posix()
