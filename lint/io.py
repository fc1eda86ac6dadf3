"""Every file pipl-lint writes (`-o` reports, baselines, `--fix` edits) goes through `write_bytes`/`write_text`:

- a regular file (or a new one) is replaced atomically: a temporary file in the same folder, fsync, then a
  rename; mode kept. An interrupted run (killed, power lost) leaves the original file whole: either the old
  or the complete new content, never a mix. The temporary file is named `.<name>.<pid>.<random>.tmp`; one
  left behind by a killed run (its process is gone) is removed by the next write to the same file;
- a symbolic link is followed: its target is replaced atomically and the link is kept;
- `/dev/stdout`, `/dev/stderr` and `/dev/fd/N` are the process's own descriptors: written to directly;
- a character device (`/dev/null`, a terminal) or a FIFO is written through, never replaced;
- anything else (a folder, a block device, a socket) is refused.
Every failure is a `WriteError` (exit code 2) naming the path and the reason (`No space left on device`).
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from pipl_lint.errors import UsageError


class WriteError(UsageError):
    """The file could not be written; the original (if any) is unchanged."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is not ours
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete `.<name>.<pid>.*.tmp` files next to `path` whose writer process no longer runs."""
    prefix = f".{path.name}."
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        pid_text = name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        stale = path.parent / name
        try:
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                removed.append(stale)
        except OSError:
            pass
    return removed


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_OWN_DESCRIPTOR = re.compile(r"/dev/(?:stdout|stderr|fd/(\d+))|/proc/self/fd/(\d+)")
_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}


def _own_descriptor(path: Path) -> int | None:
    """The descriptor `path` names when it is one of this process's own (`/dev/stdout`, `/dev/fd/3`)."""
    m = _OWN_DESCRIPTOR.fullmatch(os.path.abspath(path))
    if m is None:
        return None
    number = m.group(1) or m.group(2)
    return int(number) if number else _STANDARD[m.group(0)]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_through(path: Path, data: bytes, fd: int | None = None) -> None:
    """Write into an existing descriptor, device or FIFO (opened without truncation or creation)."""
    try:
        if fd is not None:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            _write_all(fd, data)
            return
        opened = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        try:
            _write_all(opened, data)
        finally:
            os.close(opened)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` the way its kind of file needs (see the module's documentation)."""
    path = Path(path)
    fd = _own_descriptor(path)
    if fd is not None:
        _write_through(path, data, fd)
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        _write_through(path, data)
    elif mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file, character device or FIFO"
        raise WriteError(f"cannot write {path}: {kind}")
    else:
        # a link (even a dangling one) is kept: the file it points to is what gets replaced
        _replace(Path(os.path.realpath(path)) if path.is_symlink() else path, data)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    # backslashreplace: a lone surrogate (an undecodable file name) must not lose the whole report
    write_bytes(path, text.encode(encoding, "backslashreplace"))


def _replace(path: Path, data: bytes) -> None:
    """Replace the regular file `path` with `data` atomically, keeping its mode (a new file gets the umask's
    mode)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _new_file_mode()
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    remove_stale_temporaries(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    _fsync_folder(folder)

