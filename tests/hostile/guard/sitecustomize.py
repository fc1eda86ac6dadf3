"""Imported at start-up by a `pipl-lint` process under test (this folder is put first on PYTHONPATH).

It proves a scan neither reaches the network, nor runs a program, nor touches files outside the allowed
folders: every such attempt is written as one JSON line to $PIPL_GUARD_LOG. Network and process functions are
also replaced by ones that refuse, so an attempt cannot succeed even where no audit event exists. Forked
workers inherit both. Allowed folders ($PIPL_GUARD_ALLOW, os.pathsep-separated): the scanned project, the
interpreter and its packages, pipl-lint itself, and the report's folder.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable

_LOG = os.environ.get("PIPL_GUARD_LOG")
_ALLOW = tuple(os.path.realpath(p) for p in os.environ.get("PIPL_GUARD_ALLOW", "").split(os.pathsep) if p)
_PSEUDO = ("/dev/null", "/dev/tty", "/dev/urandom", "/proc/self/", f"/proc/{os.getpid()}/")
_NETWORK = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
            "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request",
            "http.client.connect", "ftplib.connect", "smtplib.connect", "poplib.connect", "imaplib.open",
            "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open"}
_PROCESS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn",
            "os.popen"}
_PATHS = {"open": "open", "os.listdir": "list", "os.scandir": "list", "os.remove": "write", "os.rename": "write",
          "os.replace": "write", "os.rmdir": "write", "os.mkdir": "write", "os.chmod": "write",
          "os.symlink": "write", "os.link": "write", "os.truncate": "write", "os.utime": "write",
          "os.chown": "write", "shutil.rmtree": "write", "shutil.copyfile": "write", "sqlite3.connect": "open",
          "os.chdir": "list"}


def _write(kind: str, detail: object) -> None:
    try:
        text = repr(detail)[:300]
    except Exception:  # noqa: BLE001 - a half-built object (Popen) cannot always be shown
        text = f"<{type(detail).__name__}>"
    line = json.dumps([os.getpid(), kind, text]) + "\n"
    os.write(_FD, line.encode("utf-8", "backslashreplace"))


def _allowed(path: object) -> bool:
    if isinstance(path, int):
        return True  # an already open descriptor
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str) or path in ("", ":memory:"):
        return True
    real = os.path.realpath(path)
    if real.startswith(_PSEUDO) or real in _PSEUDO:
        return True
    return any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in _ALLOW)


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in _NETWORK or event in _PROCESS:
        _write(event, args)
    elif event == "os.fork":
        _write("fork", ())  # allowed: the parallel parser's workers (no exec follows)
    elif event in _PATHS and args and not _allowed(args[0]):
        _write(f"{_PATHS[event]}-outside", (event, args[0]))
    elif event in ("os.rename", "os.replace", "os.link", "os.symlink") and len(args) > 1 and not _allowed(args[1]):
        _write("write-outside", (event, args[1]))


def _refuse(kind: str) -> Callable[..., object]:
    def refuse(*args: object, **kwargs: object) -> object:
        _write(f"refused {kind}", [a for a in args[:3] if not isinstance(a, subprocess.Popen)])
        raise PermissionError(f"pipl-lint test guard: {kind} is not allowed")
    return refuse


if _LOG:
    _FD = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for _name in ("connect", "connect_ex", "bind", "sendto", "sendmsg", "listen"):
        setattr(socket.socket, _name, _refuse(f"socket.{_name}"))
    for _name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                  "gethostbyaddr", "getnameinfo"):
        setattr(socket, _name, _refuse(f"socket.{_name}"))
    subprocess.Popen.__init__ = _refuse("subprocess.Popen")  # type: ignore[method-assign]
    for _name in ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp", "execlpe",
                  "posix_spawn", "posix_spawnp", "spawnv", "spawnve", "spawnvp", "spawnvpe", "spawnl", "spawnle",
                  "spawnlp", "spawnlpe"):
        if hasattr(os, _name):
            setattr(os, _name, _refuse(f"os.{_name}"))
    sys.addaudithook(_hook)
