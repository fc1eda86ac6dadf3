"""`pipl-lint server`: the language server on stdin/stdout (see lint/lsp/ and docs/integrations.md)."""

from __future__ import annotations

from pipl_lint import exitcodes
from pipl_lint.errors import UsageError


def run_server() -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError("the language server needs pygls: pip install 'pipl-lint[lsp]'") from None
    from pipl_lint.lsp.state import create_server

    create_server().start_io()
    return exitcodes.OK
