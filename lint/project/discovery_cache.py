"""The discovered projects, kept in the cache between runs so that a warm run does not walk the tree again.

Discovery records what it looked at (`Walker.seen_dirs`: every folder whose entries it listed or probed, and
`Walker.seen_files`: every settings file, build script and version catalog it read). A stored discovery is
reused only when a stat of each of those gives the same modification time and inode (and size, for files)
as when it was stored, or, for a folder whose time changed, when its entries (names, kinds, link targets) are
the same as then: adding, deleting or renaming a file changes the modification time of its folder, and
editing a settings file, a build script or a catalog changes that file's; an editor's safe write (a new file
renamed over the old one) changes the folder's time but not its entries. A discovery in which something was
modified less than a timestamp tick before it started is not stored: a change in the same tick could not be told
apart (as git does for its index). The tick is taken as `FINE_RACY_NS` for a timestamp with a sub-second part
(ext4, APFS, NTFS: nanoseconds stamped from a clock of 1-16 ms resolution) and `COARSE_RACY_NS` for one in
whole seconds (FAT: 2 s, HFS+, some network file systems: 1 s). Anything unexpected (an undecodable entry, a
failed stat) means a fresh walk.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from pipl_lint.project.discover import Discovery, Walker, discover
from pipl_lint.project.files import FileReader

if TYPE_CHECKING:
    from pipl_lint.cache import Cache

FORMAT = 6  # 3: Dependency.reference; 4: every values*/*.xml is a string file; 5: BuildScript.extra; 6: applied_scripts
FINE_RACY_NS = 100_000_000
COARSE_RACY_NS = 3_000_000_000
_now = time.time_ns


class _Stored(msgspec.Struct, array_like=True):
    dirs: list[tuple[str, int, int, str]]  # folder, mtime_ns, inode (-1, -1: missing), digest of its entries
    files: list[tuple[str, int, int, int]]  # file, size, mtime_ns, inode (-1 ...: missing)
    discovery: Discovery


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, Path):
        return str(obj)
    raise NotImplementedError(type(obj))


def _dec_hook(kind: type, obj: Any) -> Any:
    if kind is Path and isinstance(obj, str):
        return Path(obj)
    raise NotImplementedError(kind)


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
_DECODER = msgspec.msgpack.Decoder(_Stored, dec_hook=_dec_hook)


def _dir_stat(path: str) -> tuple[str, int, int]:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (path, -1, -1)
    return (path, st.st_mtime_ns, st.st_ino)


def _listing(path: str) -> str:
    """A digest of the entries of a folder: each name, what it is, and where a link points."""
    try:
        with os.scandir(path) as it:
            entries = sorted((e.name, e.is_dir(follow_symlinks=False), os.readlink(e.path) if e.is_symlink() else "")
                             for e in it)
    except (OSError, ValueError):
        return "-"
    return hashlib.blake2b(repr(entries).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _file_stat(path: str) -> tuple[str, int, int, int]:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (path, -1, -1, -1)
    return (path, st.st_size, st.st_mtime_ns, st.st_ino)


def _racy(mtime_ns: int, start_ns: int) -> bool:
    """Modified so shortly before `start_ns` that a later change could carry the same timestamp."""
    tick = COARSE_RACY_NS if mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS
    return mtime_ns > start_ns - tick


def _key(paths: Sequence[Path], scan_root: Path, reader: FileReader, excludes: Sequence[str]) -> str:
    from pipl_lint import __version__

    basis = repr((FORMAT, __version__, [os.path.abspath(p) for p in paths], str(scan_root), tuple(excludes),
                  reader.max_bytes))
    return "discovery:" + hashlib.blake2b(basis.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def discover_cached(paths: Sequence[Path], scan_root: Path, reader: FileReader, excludes: Iterable[str] = (),
                    cache: Cache | None = None) -> Discovery:
    """`discover`, reusing the stored result when nothing it looked at changed."""
    excludes = tuple(excludes)
    if cache is None:
        return discover(paths, scan_root, reader, excludes)
    # Unsaved editor buffers (the language server's overlay, by real path) of files discovery reads (Gradle
    # files, catalogs) make a stored discovery wrong, and one made from them must not be stored.
    overlaid = set(reader.overlay)

    def unsaved(read: Iterable[str]) -> bool:
        return bool(overlaid) and any(os.path.realpath(f) in overlaid for f in read)

    key = _key(paths, scan_root, reader, excludes)
    raw = cache.get_run(key)
    if raw is not None:
        try:
            stored = _DECODER.decode(raw)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
            stored = None
        if stored is not None and not unsaved(f for f, *_rest in stored.files) \
                and all(_file_stat(f) == (f, n, m, i) for f, n, m, i in stored.files):
            start = _now()
            dirs = [(d, m, i, listing) if _dir_stat(d) == (d, m, i) else (*_dir_stat(d), _listing(d))
                    for d, m, i, listing in stored.dirs]
            if all(new[3] == old[3] for new, old in zip(dirs, stored.dirs, strict=True)):
                # A folder whose time changed but whose entries did not (a file replaced by a safe write, `sed
                # -i`): the discovery holds; store the new times, so the folder is not listed again.
                if dirs != stored.dirs and not any(_racy(m, start) for _d, m, _i, _l in dirs):
                    _store(cache, key, _Stored(dirs, stored.files, stored.discovery))
                return stored.discovery
    start = _now()
    walker = Walker(scan_root, excludes)
    found = discover(paths, scan_root, reader, excludes, walker)
    dirs = [(*_dir_stat(d), _listing(d)) for d in sorted(walker.seen_dirs)]
    files = [_file_stat(f) for f in sorted(walker.seen_files)]
    if not any(_racy(mtime, start) for _p, mtime, _i, _l in dirs) and \
            not any(_racy(mtime, start) for _p, _s, mtime, _i in files) and not unsaved(walker.seen_files):
        _store(cache, key, _Stored(dirs, files, found))
    return found


def _store(cache: Cache, key: str, stored: _Stored) -> None:
    try:
        cache.put_run(key, _ENCODER.encode(stored))
    except (TypeError, ValueError, OverflowError):
        pass
