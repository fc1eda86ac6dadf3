"""Safe writes: a temporary file in the same folder, fsync, then an atomic rename; mode kept.

An interrupted run (killed, power lost) leaves the original file whole: either the old or the complete new
content, never a mix. The temporary file is named `.<name>.<pid>.<random>.tmp`; one left behind by a killed
run (its process is gone) is removed by the next write to the same file.
"""

from __future__ import annotations

import os
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, keeping its mode (a new file gets the umask's mode)."""
    path = Path(path)
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


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    # backslashreplace: a lone surrogate (an undecodable file name) must not lose the whole report
    atomic_write_bytes(path, text.encode(encoding, "backslashreplace"))
