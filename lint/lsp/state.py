"""The server object and the project-wide analysis it keeps.

One analysis per workspace root: the whole project is analysed (the same engine and configuration as
`pipl-lint check`), in a worker thread so the server keeps answering, and the findings are kept per file
for diagnostics, code actions and hovers. Open documents with unsaved changes are analysed from their
in-memory text, the rest of the project from the cache and the disk.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from pipl_lint import __version__
from pipl_lint.config import Config, ConfigError, Configs, load_config
from pipl_lint.findings import Diagnostic, Finding
from pipl_lint.lsp.settings import ServerSettings
from pipl_lint.ruleapi import Rule

if TYPE_CHECKING:
    from pipl_lint.engine import Session


class Analysis:
    """The last result for one root. `run()` is blocking (call it from a worker thread)."""

    def __init__(self, root: Path, config: Config, use_cache: bool,
                 project_config: Callable[[Path], Config] | None = None) -> None:
        self.root = root
        self.config = config
        self.use_cache = use_cache
        # The configuration of each project under the root (the nearest file, as `pipl-lint check` uses).
        self.project_config = project_config
        self.by_path: dict[str, list[Finding]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.runs = 0
        self.versions: dict[str, int | None] = {}  # uri → the version of each open document analysed
        self._lock = threading.Lock()
        self._session: Session | None = None  # kept from one run to the next (`engine.Session`)

    def run(self, overlay: dict[str, bytes] | None = None, versions: dict[str, int | None] | None = None) -> None:
        """Analyse the project; `overlay` (real path → bytes) holds the open documents whose text differs
        from the disk, `versions` the version of every open document, for `publish`."""
        from pipl_lint.engine import Session, run
        from pipl_lint.registry import select

        if self._session is None:
            self._session = Session()
        cache = None
        if self.use_cache:
            from pipl_lint.cache import Cache
            from pipl_lint.catalogs import catalog_fingerprint

            cache = Cache(self.root, f"{__version__}|{catalog_fingerprint()}|{self.config.fingerprint()}")
        def plan(project_root: Path) -> tuple[Config, list[Rule]]:
            own = self.project_config(project_root) if self.project_config is not None else self.config
            return own, select(own.select, own.ignore)

        try:
            result = run([self.root], self.root, self.config, select(self.config.select, self.config.ignore),
                         cache=cache, overlay=overlay, per_project=plan, session=self._session)
        finally:
            if cache is not None:
                cache.close()
        by_path: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_path.setdefault(f.path, []).append(f)
        with self._lock:
            self.by_path, self.diagnostics = by_path, result.diagnostics
            self.versions = dict(versions or {})
            self.runs += 1

    def findings(self, rel: str) -> list[Finding]:
        with self._lock:
            return list(self.by_path.get(rel, ()))

    def disk_text(self, rel: str) -> str | None:
        from pipl_lint.parse.decode import BinaryFile, decode

        try:
            return decode((self.root / rel).read_bytes()).text
        except (OSError, BinaryFile):
            return None

    def rel(self, uri: str) -> str | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None


class PiplServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pipl-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.settings = ServerSettings()
        self.messages: list[str] = []  # shown once the client is ready
        self.analysis: Analysis | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.busy = False
        self.again = False
        self.published: set[str] = set()

    def root_for(self, uri: str | None = None) -> Path | None:
        ws = self.workspace
        if ws.root_path:
            return Path(ws.root_path).resolve()
        for folder in ws.folders.values():
            path = to_fs_path(folder.uri)
            if path:
                return Path(path).resolve()
        path = to_fs_path(uri) if uri else None
        return Path(path).resolve().parent if path else None

    def project_config(self, folder: Path) -> Config:
        """The configuration of the project rooted at `folder`: the same nearest file `pipl-lint check` uses
        (or the `config` setting), with the editor's settings on top."""
        try:
            fixed = load_config(Path(self.settings.config)) if self.settings.config else None
            return self.settings.apply(Configs(fixed).for_folder(folder))
        except ConfigError as exc:
            self.show(f"pipl-lint: {exc}; using the default configuration", types.MessageType.Warning)
            return self.settings.apply(Config())

    def analysis_for(self, uri: str | None = None) -> Analysis | None:
        if self.analysis is None:
            root = self.root_for(uri)
            if root is None:
                return None
            self.analysis = Analysis(root, self.project_config(root), self.settings.cache, self.project_config)
        return self.analysis

    def show(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_show_message(types.ShowMessageParams(kind, message))

    def units(self, text: str) -> int:
        return self.workspace.position_codec.client_num_units(text)


def create_server() -> PiplServer:
    from pipl_lint.lsp import actions, diagnostics, hover

    server = PiplServer()
    diagnostics.register(server)
    actions.register(server)
    hover.register(server)
    return server
