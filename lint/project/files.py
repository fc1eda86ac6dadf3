"""Reading project files safely: inside the scan root only, size-limited, every failure a diagnostic."""

from __future__ import annotations

import os
from pathlib import Path

from pipl_lint.findings import Diagnostic
from pipl_lint.parse.decode import BinaryFile, decode

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class FileReader:
    def __init__(self, scan_root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.scan_root = scan_root.resolve()
        self.max_bytes = max_bytes

    def rel(self, path: Path) -> str:
        """Path relative to the scan root with `/` separators (absolute when outside it)."""
        try:
            return path.resolve().relative_to(self.scan_root).as_posix()
        except ValueError:
            try:
                return path.absolute().relative_to(self.scan_root).as_posix()
            except ValueError:
                return path.as_posix()

    def inside(self, path: Path) -> bool:
        try:
            real = Path(os.path.realpath(path))
        except (OSError, RuntimeError):
            return False
        return real == self.scan_root or self.scan_root in real.parents

    def read_bytes(self, path: Path, diags: list[Diagnostic]) -> bytes | None:
        rel = self.rel(path)
        if not self.inside(path):
            diags.append(Diagnostic(rel, "skipped: a link to a file outside the project"))
            return None
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                diags.append(Diagnostic(rel, f"skipped: {size:,} bytes is over the {self.max_bytes:,}-byte "
                                             "limit (set `max-file-size` in pipl-lint.toml)"))
                return None
            with path.open("rb") as fh:
                return fh.read(self.max_bytes + 1)
        except FileNotFoundError:
            diags.append(Diagnostic(rel, "skipped: the file disappeared during the scan"))
        except IsADirectoryError:
            diags.append(Diagnostic(rel, "skipped: a folder where a file was expected"))
        except PermissionError:
            diags.append(Diagnostic(rel, "skipped: permission denied"))
        except OSError as exc:
            diags.append(Diagnostic(rel, f"skipped: {exc.strerror or exc}"))
        return None

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
