"""The privacy-policy text of a project and what it mentions: shared by the disclosure rules and the report.

Where the policy is: the files configured as `policy.paths` (relative to the configuration file's folder, the
project root or the scan root; inside the scan root only); when none is configured or none can be read, the
text assets (`assets/**/*.html|htm|txt|md`) and raw resources (`res/raw/*`) whose file name contains
`privacy`, `policy` or `隐私`.

How a mention is found: the text is stripped of markup, case-folded and cut into clauses at sentence ends,
semicolons, line breaks and brackets. A term matches as a whole word when it is ASCII (`IMEI`, `com.umeng`,
`AppsFlyer`), as a substring otherwise (`友盟+`, `剪贴板`). A mention in a clause that first says the app does
*not* collect it (`我们不收集 IMEI`, `we do not collect your contacts`) is a denial, not a disclosure.

SDKs are named by their product names and aliases (`rules/data/sdks.toml`), by package or Maven group names
(a shorter prefix such as `com.umeng` counts when no other SDK of the project shares it), and by the vendor's
registered Chinese name when no other SDK of the project has the same vendor. PI kinds are named by their
Chinese and English labels and aliases (`rules/data/pi_kinds.toml`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipl_lint.catalogs import PiKind, Sdk
from pipl_lint.i18n import Msg
from pipl_lint.ruleapi import Context

POLICY_NAME = re.compile(r"privacy|policy|隐私", re.IGNORECASE)
TEXT_SUFFIXES = (".html", ".htm", ".txt", ".md", ".xhtml")
MAX_POLICY_BYTES = 2 * 1024 * 1024
_BLOCKS = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_CLAUSE_END = re.compile(r"[。；;！？!?\n\r（）()【】\[\]]|\.(?=\s)")
_DOTTED = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
_NEGATION = re.compile(
    r"(不|未|无需|绝不|不会)(会)?(收集|获取|读取|采集|申请|使用|访问|调用|上传)"
    r"|\b(?:do|does|did|will|shall|would|may)\s+not\s+(?:collect|access|read|obtain|request|use|gather|upload)"
    r"|\b(?:don't|doesn't|won't|never|cannot)\s+(?:collect|access|read|obtain|request|use|gather|upload)"
    r"|\bnot\s+(?:collected|accessed|read|obtained|requested|used)\b")
# Package prefixes shared by many unrelated products of one vendor: they name no particular SDK.
GENERIC_PREFIXES = frozenset({"com.google", "com.google.android", "com.google.android.gms", "com.tencent", "com.qq",
                              "com.baidu", "com.huawei", "com.huawei.hms", "com.alibaba", "com.android", "android.os",
                              "com.example", "cn.com"})


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    negations: tuple[int, ...]  # end offsets of "we do not collect"-style cues


@dataclass(frozen=True, slots=True)
class Policy:
    """The privacy-policy text of one project, ready for matching."""

    paths: tuple[str, ...]  # relative to the scan root
    clauses: tuple[Clause, ...]
    dotted: frozenset[str]  # package-like names written in the text (com.umeng, cn.jiguang)

    @property
    def where(self) -> Msg:
        """`app/src/main/assets/privacy.html` (or the first of several, with how many more)."""
        first = f"`{self.paths[0]}`"
        if len(self.paths) == 1:
            return Msg(first, first)
        n = len(self.paths) - 1
        return Msg(f"{first} (and {n} more)", f"{first}（另有 {n} 个）")

    def mention(self, terms: Iterable[str]) -> str | None:
        """"yes" when a term is mentioned outside a denial, "denied" when only in denials, else None."""
        denied = False
        patterns = [_pattern(t) for t in dict.fromkeys(_norm(t) for t in terms) if t]
        for clause in self.clauses:
            for pattern in patterns:
                for m in pattern.finditer(clause.text):
                    if any(end <= m.start() for end in clause.negations):
                        denied = True
                    else:
                        return "yes"
        return "denied" if denied else None


# --- finding and reading the policy ----------------------------------------------------------------------------


def policy(ctx: Context) -> Policy | None:
    """The project's privacy policy, or None when none is configured or found (memoised per context)."""
    def build() -> Policy | None:
        texts = _configured(ctx) or _discovered(ctx)
        return _prepare(texts) if texts else None

    return ctx.memo("disclosure:policy", build)


def _configured(ctx: Context) -> list[tuple[str, str]]:
    bases = [ctx.config.path.parent] if ctx.config.path is not None else []
    bases += [ctx.project.root, ctx.scan_root]
    out: list[tuple[str, str]] = []
    for raw in ctx.config.policy_paths:
        for base in bases:
            text = _read(ctx, base / raw)
            if text is not None:
                out.append((ctx.rel(base / raw), text))
                break
    return out


def _discovered(ctx: Context) -> list[tuple[str, str]]:
    out = [(path, text) for path, text in ctx.resources.assets if _policy_name(path)]
    seen = {path for path, _text in out}
    for mod in ctx.project.modules:
        folders = [mod.dir / "src" / ss.name / "res" / "raw" for ss in mod.source_sets if not ss.is_test]
        folders.append(mod.dir / "res" / "raw")
        for folder in folders:
            for path in sorted(folder.iterdir()) if folder.is_dir() else ():
                rel = ctx.rel(path)
                if rel in seen or not _policy_name(rel) or path.suffix.lower() not in TEXT_SUFFIXES:
                    continue
                text = _read(ctx, path)
                if text is not None:
                    seen.add(rel)
                    out.append((rel, text))
    return sorted(out)


def _policy_name(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return bool(POLICY_NAME.search(name)) and name.lower().endswith(TEXT_SUFFIXES)


def _read(ctx: Context, path: Path) -> str | None:
    """A text file inside the scan root (links resolved), at most MAX_POLICY_BYTES; None otherwise."""
    from pipl_lint.parse.decode import BinaryFile, decode

    try:
        real = path.resolve()
        root = ctx.scan_root.resolve()
        if root not in real.parents or not real.is_file() or real.stat().st_size > MAX_POLICY_BYTES:
            return None
        return decode(real.read_bytes()).text
    except (OSError, BinaryFile, ValueError):
        return None


def plain_text(text: str) -> str:
    """Markup removed, entities decoded, case folded, runs of spaces collapsed (line breaks kept)."""
    text = _TAG.sub(" ", _BLOCKS.sub(" ", text))
    text = html.unescape(text).replace("\u00a0", " ").replace("\u3000", " ")
    lines = (" ".join(line.split()) for line in text.casefold().splitlines())
    return "\n".join(line for line in lines if line)


def _prepare(texts: list[tuple[str, str]]) -> Policy:
    clauses: list[Clause] = []
    dotted: set[str] = set()
    for _path, raw in texts:
        text = plain_text(raw)
        dotted.update(m.group(0).rstrip(".") for m in _DOTTED.finditer(text))
        start = 0
        for m in [*_CLAUSE_END.finditer(text), None]:
            end = m.start() if m is not None else len(text)
            part = text[start:end].strip()
            if part:
                clauses.append(Clause(part, tuple(n.end() for n in _NEGATION.finditer(part))))
            start = m.end() if m is not None else end
    return Policy(tuple(p for p, _ in texts), tuple(clauses), frozenset(dotted))


def _norm(term: str) -> str:
    return " ".join(term.casefold().split())


def _pattern(term: str) -> re.Pattern[str]:
    if term.isascii():
        return re.compile(r"(?<![a-z0-9_])" + re.escape(term) + r"(?![a-z0-9_])")
    return re.compile(re.escape(term))


# --- what names an SDK or a PI kind ----------------------------------------------------------------------------


def sdk_terms(sdk: Sdk, present: Iterable[Sdk]) -> list[str]:
    """Product names and aliases, API packages, `group:artifact` coordinates, and the vendor's Chinese name
    when no other SDK of the project has the same vendor."""
    others = [s for s in present if s.id != sdk.id]
    main = sdk.name.split(" (", 1)[0]
    terms = [sdk.name, main, *(p.strip() for p in main.split(" / ")), *sdk.aliases, *sdk.packages]
    terms += [c for c in sdk.coordinates if "*" not in c and ":" in c]  # groups alone: see sdk_prefix_named
    if sdk.vendor_zh and not any(s.vendor_zh == sdk.vendor_zh for s in others):
        terms.append(sdk.vendor_zh)
    return [t for t in terms if len(t.strip()) >= 2]


def sdk_prefix_named(sdk: Sdk, present: Iterable[Sdk], dotted: Iterable[str]) -> bool:
    """A package-like name in the text (`com.umeng`, `cn.jiguang.sdk`) that belongs to this SDK and to no
    other SDK of the project: a prefix of, or more specific than, one of its packages or Maven groups."""
    def roots(s: Sdk) -> set[str]:
        return {*s.packages, *(c.split(":", 1)[0] for c in s.coordinates if "*" not in c.split(":", 1)[0])}

    mine = roots(sdk)
    theirs = [roots(s) for s in present if s.id != sdk.id]
    for name in dotted:
        if name in GENERIC_PREFIXES:
            continue
        if any(_related(name, r) for r in mine) and not any(_related(name, r) for other in theirs for r in other):
            return True
    return False


def _related(name: str, root: str) -> bool:
    root = root.casefold()
    return name == root or root.startswith(name + ".") or name.startswith(root + ".")


def sdk_mentioned(pol: Policy, sdk: Sdk, present: Iterable[Sdk]) -> bool:
    present = list(present)
    return pol.mention(sdk_terms(sdk, present)) == "yes" or sdk_prefix_named(sdk, present, pol.dotted)


def kind_terms(kind: PiKind) -> list[str]:
    return [kind.label_zh, kind.label_en, *kind.aliases]


def kind_mention(pol: Policy, kind: PiKind) -> str | None:
    """"yes", "denied" (only in "we do not collect …" clauses) or None."""
    return pol.mention(kind_terms(kind))
