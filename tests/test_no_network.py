"""No network, no code execution, nothing read outside the project.

A full scan of the hostile repository (URLs in XML entities, DTDs and XIncludes; Gradle scripts that call
`execute()`, `exec`, `ProcessBuilder`, `URL.text`; links to files and folders outside) runs in a `pipl-lint`
process with tests/hostile/guard/sitecustomize.py loaded: an audit hook records every socket, process,
`open` and directory listing outside the allowed folders, and the network and process functions refuse. The
scan must record nothing but the forks of its own parser pool, connect to nothing (a local server listening on
the port the hostile files name accepts no connection), and create no marker file.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipl_lint
import pipl_lint.rules
from pipl_lint.parse.gradle_ast import walk_calls
from pipl_lint.project.gradle import parse_gradle_script, read_build_script, read_settings
from tests import hostile

PIPL_LINT = str(Path(sys.executable).parent / "pipl-lint")
GUARD = Path(__file__).resolve().parent / "hostile" / "guard"


class Guarded:
    def __init__(self, tmp: Path, allow: list[Path]) -> None:
        self.log = tmp / "guard.log"
        self.allow = [*allow, Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
                      Path(pipl_lint.__file__).parent, Path(pipl_lint.rules.__file__).parent]

    def env(self) -> dict[str, str]:
        return dict(os.environ, PYTHONPATH=str(GUARD), PIPL_GUARD_LOG=str(self.log),
                    PIPL_GUARD_ALLOW=os.pathsep.join(str(p) for p in self.allow))

    def run(self, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(args, cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=180)
        assert "Traceback" not in out.stderr, out.stderr
        return out

    def events(self) -> list[tuple[int, str, str]]:
        if not self.log.exists():
            return []
        return [tuple(json.loads(line)) for line in self.log.read_text().splitlines()]  # type: ignore[misc]


def test_the_guard_sees_and_refuses_what_it_must(tmp_path: Path) -> None:
    """The guard is not vacuous: each forbidden action in a plain script is recorded (and refused)."""
    guard = Guarded(tmp_path, [tmp_path / "allowed"])
    script = """
import os, socket, subprocess
attempts = [lambda: socket.create_connection(("127.0.0.1", 9)), lambda: socket.socket().connect(("127.0.0.1", 9)),
            lambda: socket.getaddrinfo("example.com", 80), lambda: subprocess.run(["true"]),
            lambda: os.system("true"), lambda: os.execv("/bin/true", ["true"]), lambda: open("/etc/hostname"),
            lambda: os.listdir("/etc"), lambda: open(os.path.join(os.environ["HOME"], "x"), "w")]
for attempt in attempts:
    try:
        attempt()
    except Exception:
        pass
"""
    guard.run([sys.executable, "-c", script], tmp_path)
    kinds = {kind for _pid, kind, _detail in guard.events()}
    assert {"refused socket.create_connection", "refused socket.connect", "refused socket.getaddrinfo",
            "refused subprocess.Popen", "refused os.system", "refused os.execv", "open-outside",
            "list-outside"} <= kinds


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Iterator[tuple[Path, socket.socket]]:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".git").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    hostile.build(root, secret, server.getsockname()[1], tmp_path)
    yield root, server
    server.close()


def test_full_scan_opens_no_socket_runs_nothing_and_reads_nothing_outside(
        tmp_path: Path, hostile_repo: tuple[Path, socket.socket]) -> None:
    root, server = hostile_repo
    out = tmp_path / "out"
    out.mkdir()
    guard = Guarded(tmp_path, [root, out])
    runs = [
        [PIPL_LINT, "check", ".", "-f", "sarif", "-o", str(out / "report.sarif")],  # cold: parses in a pool
        [PIPL_LINT, "check", ".", "-f", "json", "-o", str(out / "report.json")],  # warm: from the cache
        [PIPL_LINT, "check", ".", "--diff", "--unsafe-fixes"],
        [PIPL_LINT, "baseline", ".", "-o", str(out / "baseline.json")],
    ]
    for args in runs:
        result = guard.run(args, root)
        assert result.returncode in (0, 1), (args, result.stderr)
    events = guard.events()
    assert [e for e in events if e[1] != "fork"] == []
    assert any(e[1] == "fork" for e in events), "the parallel parser pool was not exercised"
    with pytest.raises(BlockingIOError):
        server.accept()
    assert not list(tmp_path.glob(f"{hostile.MARKER}*"))
    assert json.loads((out / "report.json").read_text())["errors"]


def test_gradle_files_are_read_never_evaluated(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    groovy = (f"'touch {marker}'.execute()\nRuntime.getRuntime().exec('touch {marker}')\n"
              f"new ProcessBuilder('touch', '{marker}').start()\n"
              "android { namespace 'com.x' }\nplugins { id 'com.android.application' }\n"
              f"dependencies {{ implementation \"a:b:${{'touch {marker}'.execute().text}}\" }}\n"
              f"task t {{ doLast {{ exec {{ commandLine 'touch', '{marker}' }} }} }}\n")
    kts = (f"Runtime.getRuntime().exec(\"touch {marker}\")\nProcessBuilder(\"touch\", \"{marker}\").start()\n"
           "plugins { id(\"com.android.application\") }\nandroid { namespace = \"com.x\" }\n"
           f"val v = java.net.URL(\"http://127.0.0.1:9/x\").readText()\n")
    build = read_build_script(Path("build.gradle"), groovy)
    assert build.namespace == "com.x" and build.is_application
    read_settings(Path("settings.gradle"), groovy)
    kbuild = read_build_script(Path("build.gradle.kts"), kts)
    assert kbuild.namespace == "com.x" and kbuild.is_application
    names = {c.name for c in walk_calls(parse_gradle_script(Path("build.gradle"), groovy).statements)}
    assert {"execute", "exec"} & names  # the calls are data in the syntax tree ...
    assert not marker.exists()  # ... and never run
