"""Random edits of an Android project, for checking that cached and incremental runs equal cold ones.

`random_edit` makes one change with a seeded `random.Random`: in a Kotlin or Java file it inserts a blank line,
a comment, a harmless statement or a suppression comment, deletes or duplicates a line, changes a call's
name, or adds or removes a function that holds nothing and that nothing calls; it adds, deletes or renames a
source file; it inserts a line into a manifest or a Gradle file. Most edits
move code without changing it (the case the incremental step reuses), the others change the analysis. With
`code=True` every edit changes what the analysis reads: a new statement, call, function or import, a deleted
function, line or file, a renamed call or file, a permission declared in a manifest, a dependency in a Gradle
file. Every
edited file gets a modification time of its own (`clock`), as if time passed between the edits. Used by
tests/test_incremental.py (a fixed seed) and benchmarks/incremental_fuzz.py (new seeds, real apps).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

SOURCE = (".kt", ".java")
SKIP = {".git", ".pipl-lint-cache", "build", ".gradle"}


class Clock:
    """Increasing modification times, one second apart, in the past (never racy)."""

    def __init__(self, start: int = 1_600_000_000) -> None:
        self.now = start

    def stamp(self, path: Path) -> None:
        self.now += 1
        os.utime(path, (self.now, self.now))
        os.utime(path.parent, (self.now, self.now))


def files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    out = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        out += [Path(folder) / n for n in sorted(names) if n.endswith(suffixes)]
    return out


def _insert(rng: random.Random, path: Path, line: str) -> str:
    lines = path.read_text("utf-8", "surrogateescape").splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    lines.insert(at, line + "\n")
    path.write_text("".join(lines), "utf-8", "surrogateescape")
    return f"insert at {path.name}:{at + 1}: {line.strip()!r}"


CODE_KINDS = ["statement", "call", "call", "function", "delete-function", "delete-function", "rename-call", "import",
              "delete", "log-call"]


def _delete_function(rng: random.Random, path: Path, lines: list[str]) -> str:
    """Delete a whole function: from a line declaring one to the line where its braces balance again."""
    heads = [i for i, text in enumerate(lines) if text.rstrip().endswith("{") and "(" in text
             and ("fun " in text or (path.suffix == ".java" and " void " in text))]
    if not heads:
        return _insert(rng, path, "")
    start = rng.choice(heads)
    depth, end = 0, start
    for end in range(start, len(lines)):
        depth += lines[end].count("{") - lines[end].count("}")
        if depth <= 0:
            break
    del lines[start:end + 1]
    path.write_text("".join(lines), "utf-8", "surrogateescape")
    return f"delete a function at {path.name}:{start + 1}-{end + 1}"


def _unused_function(rng: random.Random, path: Path, lines: list[str], n: int, remove: bool,
                     sources: list[Path]) -> str:
    """Add a function that holds nothing and that nothing calls (a member after a class header, or a top-level
    Kotlin function at the end), or remove one added before (from any of `sources`; none: add one)."""
    def added(text: str) -> bool:
        return text.lstrip().startswith(("fun unused", "void unused"))

    if remove:
        having = [p for p in sources if any(added(t) for t in p.read_text("utf-8", "replace").splitlines())]
        if having:
            path = rng.choice(having)
            lines = path.read_text("utf-8", "surrogateescape").splitlines(keepends=True)
    found = [i for i, text in enumerate(lines) if added(text)]
    if remove and found:
        at = rng.choice(found)
        removed = lines.pop(at)
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"remove an unused function at {path.name}:{at + 1}: {removed.strip()!r}"
    java = path.suffix == ".java"
    heads = [i + 1 for i, text in enumerate(lines) if "class " in text and text.rstrip().endswith("{")]
    if heads and (java or rng.random() < 0.5):
        at, text = rng.choice(heads), f"    void unused{n}() {{ }}" if java else f"    fun unused{n}() {{ }}"
    else:
        at, text = len(lines), f"fun unused{n}(): Int = {n}"
    if java and not heads:
        return _insert(rng, path, "")
    lines.insert(at, text + "\n")
    path.write_text("".join(lines), "utf-8", "surrogateescape")
    return f"add an unused function at {path.name}:{at + 1}"


def _source_edit(rng: random.Random, path: Path, n: int, code: bool = False, sources: list[Path] | None = None) -> str:
    lines = path.read_text("utf-8", "surrogateescape").splitlines(keepends=True)
    kind = rng.choice(CODE_KINDS if code else [
        "blank", "blank", "comment", "statement", "suppress", "delete", "duplicate", "rename-call", "log", "log",
        "log-call", "call", "function", "import", "unused-function", "unused-function", "remove-unused",
        "remove-unused"])
    if kind == "delete-function":
        return _delete_function(rng, path, lines)
    if kind in ("unused-function", "remove-unused"):
        return _unused_function(rng, path, lines, n, kind == "remove-unused", sources or [])
    java = path.suffix == ".java"
    end = ";" if java else ""
    if kind in ("log", "log-call", "call"):  # at the start of a function body (or anywhere, when none is found)
        bodies = [i + 1 for i, text in enumerate(lines) if text.rstrip().endswith("{") and "(" in text
                  and ("fun " in text or (java and not text.lstrip().startswith(("if", "for", "while", "switch"))))]
        if kind == "log":
            statement = f'Log.{rng.choice("dviwe")}("probe", "step {n}"){end}'
        elif kind == "log-call":
            statement = f'Log.d("probe", String.valueOf({n})){end}'
        elif code and rng.random() < 0.5:  # a call of a project function, or of one nobody declares
            statement = rng.choice(["start()", "init()", "onCreate(null)", f"probeCall{n}()"]) + end
        else:  # an API a rule looks for (chosen by the step, so that the random sequence stays the same)
            statement = [f"Settings.Secure.getString(null, Settings.Secure.ANDROID_ID){end}",
                         f"((android.telephony.TelephonyManager) null).getDeviceId(){end}" if java else
                         "(getSystemService(TELEPHONY_SERVICE) as android.telephony.TelephonyManager).deviceId",
                         f'UMConfigure.init(null, "k", "c", UMConfigure.DEVICE_TYPE_PHONE, ""){end}'][(n + 1) % 3]
        if not bodies:
            return _insert(rng, path, f"        {statement}")
        at = rng.choice(bodies)
        lines.insert(at, f"        {statement}\n")
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"{kind} at {path.name}:{at + 1}"
    if kind == "function":  # a new member after a class header
        heads = [i + 1 for i, text in enumerate(lines) if "class " in text and text.rstrip().endswith("{")]
        member = f"    void probe{n}() {{ start(); }}" if java else f"    fun probe{n}() {{ start() }}"
        if not heads:
            return _insert(rng, path, member)
        at = rng.choice(heads)
        lines.insert(at, member + "\n")
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"add a function at {path.name}:{at + 1}"
    if kind == "import":  # after the package line
        name = rng.choice(["android.util.Log", "android.provider.Settings", "com.example.Probe"])
        at = next((i + 1 for i, text in enumerate(lines) if text.startswith("package ")), 0)
        lines.insert(at, f"import {name}{end}\n")
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"import {name} at {path.name}:{at + 1}"
    if kind == "blank":
        return _insert(rng, path, "")
    if kind == "comment":
        return _insert(rng, path, f"    // note {n}")
    if kind == "statement":
        statement = f"val probe{n} = {n}" if path.suffix == ".kt" else f"int probe{n} = {n};"
        return _insert(rng, path, f"        {statement}")
    if kind == "suppress":
        return _insert(rng, path, "    // pipl-lint: ignore[EC101] reviewed")
    if not lines:
        return _insert(rng, path, "")
    at = rng.randrange(len(lines))
    if kind == "delete":
        removed = lines.pop(at)
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"delete {path.name}:{at + 1}: {removed.strip()!r}"
    if kind == "duplicate":
        lines.insert(at, lines[at])
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        return f"duplicate {path.name}:{at + 1}"
    calls = [i for i, text in enumerate(lines) if "(" in text and "." in text]
    if not calls:
        return _insert(rng, path, "")
    at = rng.choice(calls)
    lines[at] = lines[at].replace("(", "Renamed(", 1)
    path.write_text("".join(lines), "utf-8", "surrogateescape")
    return f"rename a call {path.name}:{at + 1}"


MANIFEST_CODE = '    <uses-permission android:name="android.permission.{}" />'
PERMISSIONS = ["READ_PHONE_STATE", "ACCESS_FINE_LOCATION", "CAMERA", "READ_CONTACTS", "RECORD_AUDIO"]
DEPENDENCIES = ["com.umeng.umsdk:common:9.4.7", "com.tencent.bugly:crashreport:4.1.9", "cn.jiguang.sdk:jpush:5.0.0",
                "com.google.firebase:firebase-analytics:21.5.0"]


def _build_file_code(rng: random.Random, path: Path, lines: list[str]) -> tuple[int, str]:
    """Where and what to insert into a manifest (a permission, before `<application`) or a Gradle file (a
    dependency, inside `dependencies {`) so that the analysis reads something new."""
    if path.name == "AndroidManifest.xml":
        at = next((i for i, text in enumerate(lines) if "<application" in text),
                  next((i for i, text in enumerate(lines) if "</manifest>" in text), len(lines)))
        return at, MANIFEST_CODE.format(rng.choice(PERMISSIONS))
    coordinate = rng.choice(DEPENDENCIES)
    at = next((i + 1 for i, text in enumerate(lines) if text.strip().startswith("dependencies {")), len(lines))
    line = f'    implementation("{coordinate}")' if path.suffix == ".kts" else f"    implementation '{coordinate}'"
    return at, line if at < len(lines) else "dependencies {\n" + line + "\n}"


def random_edit(rng: random.Random, root: Path, n: int, clock: Clock, code: bool = False) -> str:
    """One random change under `root` (with `code`, one that changes what the analysis reads); returns what it
    did."""
    sources = files(root, SOURCE)
    kind = rng.choices(["source", "add", "delete", "rename", "manifest", "gradle"],
                       [8, 1, 1, 1, 1, 1] if code else [14, 1, 1, 1, 1, 1])[0]
    touched: list[Path] = []
    what: str
    if kind == "source" or (kind in ("delete", "rename") and len(sources) < 3) or not sources:
        path = rng.choice(sources)
        what = _source_edit(rng, path, n, code, sources)
        touched = [next((p for p in sources if what.startswith("remove an unused") and f" at {p.name}:" in what),
                        path)]
    elif kind == "add":
        original = rng.choice(sources)
        copy = original.with_name(f"Copy{n}{original.suffix}")
        text = original.read_text("utf-8", "surrogateescape")
        copy.write_text(text.replace(f"class {original.stem}", f"class {copy.stem}"), "utf-8", "surrogateescape")
        what, touched = f"add {copy.name} (from {original.name})", [copy]
    elif kind == "delete":
        path = rng.choice(sources)
        path.unlink()
        what, touched = f"delete {path.name}", []
        clock.now += 1
        os.utime(path.parent, (clock.now, clock.now))
    elif kind == "rename":
        path = rng.choice(sources)
        target = path.with_name(f"Moved{n}{path.suffix}")
        path.rename(target)
        what, touched = f"rename {path.name} -> {target.name}", [target]
    else:
        suffix: tuple[str, ...] = ("AndroidManifest.xml",) if kind == "manifest" else (".gradle", ".gradle.kts")
        found = files(root, suffix)
        if not found:
            return random_edit(rng, root, n, clock, code)
        path = rng.choice(found)
        lines = path.read_text("utf-8", "surrogateescape").splitlines(keepends=True)
        if code:
            at, line = _build_file_code(rng, path, lines)
        else:
            line = rng.choice(["", "<!-- note -->"] if kind == "manifest" else ["", "// note"])
            at = rng.randrange(1, len(lines) + 1) if lines else 0  # never before an XML declaration
        lines.insert(at, line + "\n")
        path.write_text("".join(lines), "utf-8", "surrogateescape")
        what, touched = f"insert into {path.name}:{at + 1}", [path]
    for path in touched:
        clock.stamp(path)
    return what


def edit_sequence(root: Path, seed: int, steps: int, after_each: Callable[[int, str], None],
                  code: bool = False) -> None:
    """`steps` random edits of the project under `root` (with `code`, edits that change what the analysis reads),
    calling `after_each(step, description)` after each."""
    rng = random.Random(seed)
    clock = Clock()
    for n in range(steps):
        after_each(n, random_edit(rng, root, n, clock, code))
