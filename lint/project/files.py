"""Reading project files safely: inside the scan root only, size-limited, every failure a diagnostic."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from pipl_lint.findings import Diagnostic
from pipl_lint.parse.decode import BinaryFile, decode

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Never block on a FIFO or device, never follow a link swapped in after the inside-root check.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)


_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}


def printable(path: str) -> str:
    """`path` as text that can be printed and encoded on one line: bytes of a file name that are not
    UTF-8 (kept by Python as surrogates) and control characters (a newline in a name) become `\\xNN`."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        path = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path.translate(_CONTROLS) if not path.isprintable() else path


class FileReader:
    def __init__(self, scan_root: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 overlay: Mapping[str, bytes] | None = None) -> None:
        self.scan_root = scan_root.resolve()
        self.max_bytes = max_bytes
        # Contents that replace files on disk, by real path: an editor's unsaved buffers (the language server).
        self.overlay = overlay or {}
        self._root_text = str(self.scan_root)
        self._root_prefix = self._root_text.rstrip(os.sep) + os.sep
        self._reals: dict[Path, str] = {}  # realpath of each path (and folder) asked about, once per run

    def _realpath(self, path: Path) -> str:
        """`os.path.realpath(path)`, resolving each folder once: a file that is not a link is its folder's real
        path joined with its name."""
        real = self._reals.get(path)
        if real is None:
            real = ""
            if path.name not in ("", ".", "..") and path.parent != path:
                try:
                    if not stat.S_ISLNK(os.lstat(path).st_mode):
                        real = os.path.join(self._realpath(path.parent), path.name)
                except (OSError, ValueError):
                    pass
            real = self._reals[path] = real or os.path.realpath(path)
        return real

    def rel(self, path: Path) -> str:
        """Path relative to the scan root with `/` separators (absolute when outside it), printable."""
        return printable(self._rel(path))

    def _rel(self, path: Path) -> str:
        try:
            real = self._realpath(path)
            if real.startswith(self._root_prefix):
                return real[len(self._root_prefix):].replace(os.sep, "/")
            return Path(real).relative_to(self.scan_root).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop (RuntimeError before 3.13)
            try:
                return path.absolute().relative_to(self.scan_root).as_posix()
            except ValueError:
                return path.as_posix()

    def _link_rel(self, path: Path) -> str:
        """The link's own path (not its target's) relative to the scan root."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.scan_root).as_posix()
        except ValueError:
            return self._rel(path)

    @staticmethod
    def _broken_link(path: Path) -> str | None:
        """Why a symbolic link cannot be followed (a loop, a missing target), or None."""
        try:
            os.stat(path)
            return None
        except OSError as exc:
            if not os.path.islink(path):
                return None  # not a link: the read reports the problem
            return "a symlink loop" if exc.errno == errno.ELOOP else "a broken symbolic link (its target is missing)"
        except ValueError:
            return None

    def inside(self, path: Path) -> bool:
        try:
            real = Path(os.path.realpath(path))
        except (OSError, RuntimeError):
            return False
        return real == self.scan_root or self.scan_root in real.parents

    def read_bytes(self, path: Path, diags: list[Diagnostic]) -> bytes | None:
        broken = self._broken_link(path)
        if broken is not None:
            diags.append(Diagnostic(printable(self._link_rel(path)), f"skipped: {broken}"))
            return None
        raw = self._rel(path)
        rel = printable(raw)
        if rel != raw:
            diags.append(Diagnostic(rel, "the file name is not valid UTF-8 or has control characters; shown with "
                                         "\\xNN escapes (--fix cannot edit it)"))
        try:
            real = self._realpath(path)
        except (OSError, ValueError):
            real = ""
        if not real or not (real == self._root_text or real.startswith(self._root_prefix)):
            diags.append(Diagnostic(rel, "skipped: a link to a file outside the project"))
            return None
        if real in self.overlay:
            data = self.overlay[real]
            if len(data) > self.max_bytes:
                diags.append(Diagnostic(rel, f"skipped: {len(data):,} bytes is over the {self.max_bytes:,}-byte "
                                             "limit (set `max-file-size` in pipl-lint.toml)"))
                return None
            return data
        try:
            fd = os.open(real, _OPEN_FLAGS)
        except FileNotFoundError:
            diags.append(Diagnostic(rel, "skipped: the file disappeared during the scan"))
            return None
        except PermissionError:
            diags.append(Diagnostic(rel, "skipped: permission denied"))
            return None
        except OSError as exc:
            why = "a symlink loop" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
            diags.append(Diagnostic(rel, f"skipped: {why}"))
            return None
        try:
            return self._read_fd(fd, rel, diags)
        except OSError as exc:
            diags.append(Diagnostic(rel, f"skipped: {exc.strerror or exc}"))
            return None
        finally:
            os.close(fd)

    def _read_fd(self, fd: int, rel: str, diags: list[Diagnostic]) -> bytes | None:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            diags.append(Diagnostic(rel, "skipped: a folder where a file was expected"))
            return None
        if not stat.S_ISREG(st.st_mode):
            diags.append(Diagnostic(rel, "skipped: not a regular file (a pipe, socket or device)"))
            return None
        if st.st_size > self.max_bytes:
            diags.append(Diagnostic(rel, f"skipped: {st.st_size:,} bytes is over the {self.max_bytes:,}-byte "
                                         "limit (set `max-file-size` in pipl-lint.toml)"))
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= self.max_bytes:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, self.max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > self.max_bytes:
            diags.append(Diagnostic(rel, f"skipped: it grew over the {self.max_bytes:,}-byte limit while it "
                                         "was read (set `max-file-size` in pipl-lint.toml)"))
            return None
        return b"".join(chunks)

    def read_text(self, path: Path, diags: list[Diagnostic]) -> str | None:
        data = self.read_bytes(path, diags)
        if data is None:
            return None
        try:
            decoded = decode(data)
        except BinaryFile as exc:
            diags.append(Diagnostic(self.rel(path), f"skipped: {exc}"))
            return None
        if decoded.warning:
            diags.append(Diagnostic(self.rel(path), decoded.warning))
        return decoded.text
