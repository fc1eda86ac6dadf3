"""The on-disk cache: per-file summaries keyed by content hash, and whole-run results keyed by the
stat signature of every input, so that an unchanged project is not analysed twice.

Safety: the cache lives in `<scan root>/.pipl-lint-cache/` (with a `.gitignore` of `*` and a
`CACHEDIR.TAG`), is an SQLite database (atomic transactions, safe when two runs overlap), and holds
msgspec MessagePack decoded against the exact summary types — never pickle, so a crafted cache
folder committed to a repository can at worst be rejected and rebuilt. Any error (corrupt, locked,
read-only, truncated) disables or rebuilds the cache; it never fails a run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from pipl_lint.model.summary import SUMMARY_VERSION, FileSummary

CACHE_DIR = ".pipl-lint-cache"
DB_NAME = "cache.sqlite3"
PRUNE_AFTER = 30 * 24 * 3600
PRUNE_EVERY = 24 * 3600
_ENCODER = msgspec.msgpack.Encoder()
# A cache entry: the problems met while reading the file, and its summary (None when unreadable).
Entry = tuple[tuple[str, ...], FileSummary | None]
_DECODER = msgspec.msgpack.Decoder(Entry)


def content_key(data: bytes, name: str, lang: str) -> str:
    """Summaries depend on the bytes, the file name (Kotlin facades) and the language."""
    h = hashlib.blake2b(data, digest_size=20)
    h.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0" + lang.encode())
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path, namespace: str) -> None:
        self.folder = root / CACHE_DIR
        self.namespace = f"{namespace}|summary-v{SUMMARY_VERSION}"
        self.db: sqlite3.Connection | None = None
        self._open()

    # --- lifecycle ---------------------------------------------------------------------------------------
    def _open(self) -> None:
        try:
            if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
                return  # refuse a planted link or file
            self.folder.mkdir(exist_ok=True)
            for name, text in ((".gitignore", "# created by pipl-lint\n*\n"),
                               ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                                "# This folder is a cache of pipl-lint; see https://bford.info/cachedir/\n")):
                _create(self.folder / name, text)
            self.db = self._connect()
        except (OSError, sqlite3.Error):
            self.db = None

    def _connect(self) -> sqlite3.Connection | None:
        path = self.folder / DB_NAME
        if path.is_symlink():
            return None
        for suffix in ("-wal", "-shm", "-journal"):  # SQLite would write through a planted link: remove it
            side = Path(str(path) + suffix)
            if side.is_symlink():
                side.unlink()
        for attempt in (1, 2):
            try:
                db = sqlite3.connect(path, timeout=5, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS summaries (k TEXT PRIMARY KEY, v BLOB, used REAL)")
                db.execute("CREATE TABLE IF NOT EXISTS runs (k TEXT PRIMARY KEY, v BLOB, used REAL)")
                row = db.execute("SELECT v FROM meta WHERE k='namespace'").fetchone()
                if row is None or row[0] != self.namespace:
                    with db:
                        db.execute("DELETE FROM summaries")
                        db.execute("DELETE FROM runs")
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('namespace', ?)", (self.namespace,))
                return db
            except sqlite3.DatabaseError:
                # Corrupt or not a database (a truncated or crafted file): start afresh once.
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(str(path) + suffix)
                    except OSError:
                        pass
                if attempt == 2:
                    return None
        return None

    def close(self) -> None:
        if self.db is not None:
            try:
                now = time.time()
                row = self.db.execute("SELECT v FROM meta WHERE k='pruned'").fetchone()
                if row is None or not isinstance(row[0], (int, float)) or row[0] < now - PRUNE_EVERY:
                    with self.db:  # entries unused for PRUNE_AFTER go, checked at most once per PRUNE_EVERY
                        self.db.execute("DELETE FROM summaries WHERE used < ?", (now - PRUNE_AFTER,))
                        self.db.execute("DELETE FROM runs WHERE used < ?", (now - PRUNE_AFTER,))
                        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (now,))
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    # --- summaries ---------------------------------------------------------------------------------------
    def get_summaries(self, keys: Sequence[str]) -> dict[str, Entry]:
        """key → decoded entry; entries that do not decode are misses."""
        out: dict[str, Entry] = {}
        for k, raw in self.get_summary_raw(keys).items():
            try:
                out[k] = _DECODER.decode(raw)
            except (msgspec.DecodeError, msgspec.ValidationError, TypeError, ValueError):
                continue
        return out

    def get_summary_raw(self, keys: Sequence[str]) -> dict[str, bytes]:
        """key → stored (still encoded) entry; the caller decodes and treats a failure as a miss."""
        out: dict[str, bytes] = {}
        if self.db is None or not keys:
            return out
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for k, v in self.db.execute(f"SELECT k, v FROM summaries WHERE k IN ({marks})", chunk):
                    if isinstance(v, bytes):
                        out[k] = v
        except sqlite3.Error:
            return {}
        return out

    def put_summaries(self, items: Iterable[tuple[str, bytes]]) -> None:
        if self.db is None:
            return
        now = time.time()
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?)",
                                    ((k, v, now) for k, v in items))
        except sqlite3.Error:
            pass

    def touch(self, keys: Sequence[str]) -> None:
        if self.db is None or not keys:
            return
        now = time.time()
        try:
            with self.db:  # 500 keys a statement (a statement per key: twice the time)
                for i in range(0, len(keys), 500):
                    chunk = keys[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    self.db.execute(f"UPDATE summaries SET used=? WHERE used < ? AND k IN ({marks})",
                                    (now, now - 24 * 3600, *chunk))
        except sqlite3.Error:
            pass

    # --- small values kept across namespaces (each carries its own fingerprint, e.g. the rule index) ------
    def get_meta(self, key: str) -> bytes | None:
        if self.db is None or key in ("namespace", "pruned"):
            return None
        try:
            row = self.db.execute("SELECT v FROM meta WHERE k=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row and isinstance(row[0], bytes) else None

    def put_meta(self, key: str, value: bytes) -> None:
        if self.db is None or key in ("namespace", "pruned"):
            return
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        except sqlite3.Error:
            pass

    # --- whole runs --------------------------------------------------------------------------------------
    def get_run(self, key: str) -> bytes | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT v FROM runs WHERE k=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put_run(self, key: str, value: bytes) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (key, value, time.time()))
        except sqlite3.Error:
            pass


def _create(path: Path, text: str) -> None:
    """Write a new file; never through a planted link (O_EXCL does not follow one), never over a file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def encode_entry(problems: tuple[str, ...], summary: FileSummary | None) -> bytes:
    return _ENCODER.encode((problems, summary))


def decode_entry(data: bytes) -> Entry:
    return _DECODER.decode(data)


def stat_signature(paths: Iterable[Path]) -> list[Any]:
    """(path, size, mtime_ns, inode) of every input; a file that cannot be stat'ed is listed as missing."""
    out: list[Any] = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((str(p), -1, 0, 0))
    return out
