"""Property-based tests: whatever bytes arrive as a manifest, a Kotlin or Java file, a Gradle script, a version
catalog or a `pipl-lint.toml`, the readers return a result (or, for the configuration, a ConfigError naming the
file); they never raise anything else and never take long. Mutations of the example projects are analysed
end to end by every rule without an internal error.

The default run is deterministic: hypothesis is derandomized (the same cases every run, on every machine), keeps
no example database, and no verdict depends on the machine's speed (a hang fails through the per-test timeout
with a traceback). Random exploration is a separate command, `benchmarks/fuzz` (PIPL_LINT_FUZZ=1, more cases
and a local example database); an input it finds becomes an `@example` here, so the default run keeps it.
The number of cases run and the slowest case are printed in the terminal summary ("hypothesis cases run: ...").
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from pipl_lint.config import Config, ConfigError, load_config
from pipl_lint.engine import run
from pipl_lint.model.manifest import build_manifest
from pipl_lint.model.source import summarize
from pipl_lint.parse.decode import BinaryFile, decode
from pipl_lint.parse.xml import parse_xml
from pipl_lint.project.gradle import read_build_script, read_settings
from pipl_lint.project.version_catalog import read_version_catalog
from pipl_lint.registry import select
from tests.conftest import EXAMPLES

CASES: Counter[str] = Counter()
SLOWEST: dict[str, float] = {}
EXPLORE = os.environ.get("PIPL_LINT_FUZZ") == "1"  # random exploration (benchmarks/fuzz), not the default run
# Cases per property; raise it for a longer session: PIPL_LINT_FUZZ=1 PIPL_LINT_FUZZ_EXAMPLES=5000
EXAMPLES_PER_TEST = int(os.environ.get("PIPL_LINT_FUZZ_EXAMPLES", "2000" if EXPLORE else "60"))
_COMMON: dict[str, object] = {
    "deadline": None,
    "print_blob": True,
    "derandomize": not EXPLORE,
    "database": DirectoryBasedExampleDatabase(".hypothesis/examples") if EXPLORE else None,
}
FUZZ = settings(max_examples=EXAMPLES_PER_TEST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                HealthCheck.function_scoped_fixture], **_COMMON)  # type: ignore[arg-type]


class _Summary:
    """Prints the case counts at the end of the run (registered once by the fixture below)."""

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not CASES:
            return
        total = sum(CASES.values())
        parts = ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
        terminalreporter.write_line(f"hypothesis cases run: {total} ({parts})")
        slow = max(SLOWEST.items(), key=lambda kv: kv[1])
        terminalreporter.write_line(f"slowest single case: {slow[0]} {slow[1]:.2f} s")


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("pipl-lint-hypothesis-counts"):
        manager.register(_Summary(), "pipl-lint-hypothesis-counts")


def timed(kind: str, fn: Callable[[], object]) -> object:
    CASES[kind] += 1
    start = time.perf_counter()
    result = fn()
    SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), time.perf_counter() - start)  # reported, never asserted
    return result


# --- seeds: the example projects' own files ------------------------------------------------------------------

def _seeds(*suffixes: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(EXAMPLES.rglob("*")) if p.is_file() and p.name.endswith(suffixes)
            and ".pipl-lint-cache" not in p.parts]


XML_SEEDS = _seeds(".xml")
KOTLIN_SEEDS = _seeds(".kt")
JAVA_SEEDS = _seeds(".java")
KTS_SEEDS = _seeds(".gradle.kts")
GROOVY_SEEDS = [*_seeds(".gradle"), (Path(__file__).parent / "fixtures/gradle/app.build.gradle").read_bytes()]
TOML_SEEDS = _seeds(".toml")


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes], alphabet: list[bytes]) -> bytes:
    """A seed file with a few splices: deletions, duplications, insertions of syntax fragments, truncation."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        n = len(data)
        op = draw(st.sampled_from(("delete", "duplicate", "insert", "insert", "truncate", "byte")))
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        if op == "delete":
            del data[i:j]
        elif op == "duplicate":
            data[i:i] = data[i:j] * draw(st.integers(1, 40))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(alphabet)) * draw(st.integers(1, 60))
        elif op == "truncate":
            del data[i:]
        elif n:
            data[min(i, n - 1)] = draw(st.integers(0, 255))
    return bytes(data)


def soup(alphabet: list[bytes], max_size: int = 400) -> st.SearchStrategy[bytes]:
    """Random sequences of syntax fragments (more structure than random bytes, so parsers go deep)."""
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map(b"".join)


XML_TOKENS = [b"<manifest", b"<application", b"<activity", b"<uses-permission", b"<intent-filter", b"<action",
              b" android:name=\"", b" xmlns:android=\"http://schemas.android.com/apk/res/android\"", b"\"", b"'",
              b">", b"/>", b"</manifest>", b"</application>", b"</", b"<!--", b"-->", b"<![CDATA[", b"]]>",
              b"<?xml version=\"1.0\"?>", b"<?pi ", b"?>", b"<!DOCTYPE m [", b"<!ENTITY e \"x\">", b"]>", b"&e;",
              b"&amp;", b"&#0;", b"&#x10FFFF;", b"<xi:include href=\"/etc/passwd\"/>", b"\n", b" ", b"\x00",
              b"\xff", b"\xef\xbb\xbf", "隐私".encode(), b"android.permission.READ_PHONE_STATE", b"<", b"=", b"a:b"]
KOTLIN_TOKENS = [b"fun ", b"class ", b"object ", b"val ", b"var ", b"if (", b"when (", b"else ", b"{", b"}", b"(",
                 b")", b"->", b"=", b"==", b"!", b"&&", b"||", b".", b"?.", b"!!", b"::", b"\"", b"\"\"\"", b"${",
                 b"`", b"'", b"@", b"<", b">", b",", b";", b"\n", b" ", b"x", b"Build.getSerial()", b"lazy ",
                 b"companion object ", b"override ", b"return ", b"launch ", b"setOnClickListener ",
                 b"android.os.Build", b"package a.b\n", b"import a.b.*\n", b"/*", b"*/", b"//", b"1", b"\r\n",
                 b"\t", "隐私".encode(), b"\xff", b"\x00", b"try ", b"catch (e: E) ", b"this", b"super", b"it"]
JAVA_TOKENS = [b"class ", b"interface ", b"public ", b"static ", b"void ", b"new ", b"if (", b"else ", b"switch (",
               b"case ", b"{", b"}", b"(", b")", b";", b"=", b"==", b"!", b"&&", b"||", b".", b"->", b"::", b"\"",
               b"'", b"@", b"<", b">", b",", b"\n", b" ", b"x", b"telephonyManager.getDeviceId()", b"return ",
               b"package a.b;\n", b"import a.b.*;\n", b"/*", b"*/", b"//", b"1", b"\r\n", b"\xff", b"\x00",
               b"try ", b"catch (E e) ", b"this", b"super", b"Runnable() ", b"@Override ", b"[]", b"\"\"\"\n"]
GROOVY_TOKENS = [b"plugins ", b"id ", b"android ", b"dependencies ", b"implementation ", b"include ", b"project(",
                 b"':app'", b"\"com.umeng.umsdk:common:9.6.3\"", b"{", b"}", b"(", b")", b"[", b"]", b"=", b"+=",
                 b"'", b"\"", b"\"\"\"", b"'''", b"${", b"$", b"/", b"\\", b"->", b",", b":", b";", b".", b"\n",
                 b" ", b"x", b"def ", b"if (", b"else ", b"for (", b"libs.", b"versions.", b"apply plugin: ",
                 b"\"touch /tmp/pwned\".execute()", b"Runtime.getRuntime().exec(", b"//", b"/*", b"*/", b"\xff",
                 b"namespace ", b"applicationId ", b"rootProject.name = ", b"projectDir = file(", b"`"]
TOML_TOKENS = [b"[", b"]", b"[[", b"]]", b"{", b"}", b"=", b"\"", b"'", b"\"\"\"", b",", b".", b"\n", b" ", b"#",
               b"select", b"ignore", b"exclude", b"max-file-size", b"parse-timeout", b"severity", b"consent",
               b"predicates", b"EC101", b"1", b"-1", b"1e308", b"nan", b"inf", b"true", b"\xff", b"\x00",
               b"versions", b"libraries", b"plugins", b"bundles", b"module", b"version.ref", b"group"]

ANY_BYTES = st.binary(max_size=2000)


def _xml(data: bytes) -> None:
    try:
        text = decode(data).text
    except BinaryFile:
        return
    doc = parse_xml(text)
    build_manifest("AndroidManifest.xml", doc, "com.example")


@FUZZ
@given(st.one_of(ANY_BYTES, soup(XML_TOKENS), mutated(XML_SEEDS, XML_TOKENS)))
def test_manifest_bytes_never_raise(data: bytes) -> None:
    timed("manifest", lambda: _xml(data))


@FUZZ
@given(st.one_of(ANY_BYTES, soup(KOTLIN_TOKENS), mutated(KOTLIN_SEEDS, KOTLIN_TOKENS)))
def test_kotlin_bytes_never_raise(data: bytes) -> None:
    result = timed("kotlin", lambda: summarize("a/B.kt", data, "kotlin", 5.0))
    assert result is not None


@FUZZ
@given(st.one_of(ANY_BYTES, soup(JAVA_TOKENS), mutated(JAVA_SEEDS, JAVA_TOKENS)))
def test_java_bytes_never_raise(data: bytes) -> None:
    result = timed("java", lambda: summarize("a/B.java", data, "java", 5.0))
    assert result is not None


def _gradle(name: str, data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    read_build_script(Path(name), text, None)
    read_settings(Path(name.replace("build", "settings")), text)


@FUZZ
@given(st.one_of(ANY_BYTES, soup(GROOVY_TOKENS), mutated(GROOVY_SEEDS, GROOVY_TOKENS)))
def test_groovy_gradle_never_raises(data: bytes) -> None:
    timed("gradle-groovy", lambda: _gradle("build.gradle", data))


@FUZZ
@given(st.one_of(ANY_BYTES, soup(GROOVY_TOKENS), mutated(KTS_SEEDS, GROOVY_TOKENS)))
def test_kotlin_gradle_never_raises(data: bytes) -> None:
    timed("gradle-kts", lambda: _gradle("build.gradle.kts", data))


@FUZZ
@given(st.one_of(ANY_BYTES, soup(TOML_TOKENS), mutated(TOML_SEEDS, TOML_TOKENS)))
def test_version_catalog_never_raises(data: bytes) -> None:
    timed("catalog", lambda: read_version_catalog(Path("gradle/libs.versions.toml"),
                                                  data.decode("utf-8", "replace")))


@FUZZ
@given(data=st.one_of(ANY_BYTES, soup(TOML_TOKENS), mutated(TOML_SEEDS, TOML_TOKENS)))
def test_config_is_loaded_or_refused_with_the_file_named(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "pipl-lint.toml"
    path.write_bytes(data)

    def load() -> None:
        try:
            assert isinstance(load_config(path), Config)
        except ConfigError as exc:
            assert str(path) in str(exc)

    timed("config", load)


@FUZZ
@given(ANY_BYTES)
def test_decode_returns_text_or_refuses_binary(data: bytes) -> None:
    def dec() -> None:
        try:
            decoded = decode(data)
        except BinaryFile:
            return
        decoded.utf8  # noqa: B018 - must encode

    timed("decode", dec)


# --- whole projects ----------------------------------------------------------------------------------------------

RULES = tuple(select((), ()))
PROJECT_FILES = {name: sorted(p.relative_to(EXAMPLES / name).as_posix() for p in (EXAMPLES / name).rglob("*")
                              if p.is_file() and p.suffix in (".kt", ".java", ".xml", ".kts", ".toml")
                              and ".pipl-lint-cache" not in p.parts)
                 for name in ("leaky-app", "compliant-app")}
ALL_TOKENS = XML_TOKENS + KOTLIN_TOKENS + JAVA_TOKENS + GROOVY_TOKENS


@st.composite
def project_mutation(draw: st.DrawFn) -> tuple[str, dict[str, bytes]]:
    name = draw(st.sampled_from(sorted(PROJECT_FILES)))
    files = draw(st.lists(st.sampled_from(PROJECT_FILES[name]), min_size=1, max_size=4, unique=True))
    out: dict[str, bytes] = {}
    for rel in files:
        seed = (EXAMPLES / name / rel).read_bytes()
        out[rel] = draw(mutated([seed], ALL_TOKENS))
    return name, out


@settings(max_examples=max(10, EXAMPLES_PER_TEST * 2 // 3),  # type: ignore[arg-type]
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], **_COMMON)
@given(case=project_mutation())
def test_mutated_example_projects_are_analysed_without_internal_errors(tmp_path_factory: pytest.TempPathFactory,
                                                                        case: tuple[str, dict[str, bytes]]) -> None:
    name, changes = case
    root = tmp_path_factory.mktemp("mutant") / name
    shutil.copytree(EXAMPLES / name, root, ignore=shutil.ignore_patterns(".pipl-lint-cache"))
    for rel, data in changes.items():
        (root / rel).write_bytes(data)
    result = timed("project", lambda: run([root], root, Config(), RULES))
    assert not result.internal_error, [d.message for d in result.diagnostics if "internal" in d.message]
    assert not [d for d in result.diagnostics if "internal" in d.message]
