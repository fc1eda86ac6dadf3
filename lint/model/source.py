"""Parse one Kotlin or Java file with tree-sitter (time-bounded) and summarise it."""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from dataclasses import dataclass

from tree_sitter import Language, Node, Parser, Tree

from pipl_lint.model.summary import FileSummary
from pipl_lint.parse.decode import BinaryFile, decode

LANGUAGE_OF_SUFFIX = {".kt": "kotlin", ".java": "java"}
CHUNK = 1 << 20


class ParseTimeout(Exception):
    pass


@functools.cache
def language(name: str) -> Language:
    if name == "kotlin":
        import tree_sitter_kotlin

        return Language(tree_sitter_kotlin.language())
    import tree_sitter_java

    return Language(tree_sitter_java.language())


@functools.cache
def parser(name: str) -> Parser:
    return Parser(language(name))


def parse(data: bytes, lang: str, timeout: float) -> Tree:
    """Parse UTF-8 `data`; raise ParseTimeout when tree-sitter needs longer than `timeout` seconds.

    Only a read callback takes a progress callback (for the time limit), and py-tree-sitter 0.25/0.26 never
    releases what the read callback returns: with slices of `data`, every file parsed would stay in memory
    for the life of the process. So the callback hands out one bytearray holding the whole text, emptied
    once the parse is over: what is kept is an empty bytearray per parse (other offsets are rare re-reads).
    Never use `Node.text` on the returned tree (it would read the emptied buffer); slice `data` instead.
    """
    start = time.perf_counter()
    buffer = bytearray(data)

    def read(offset: int, _point: object) -> bytes | bytearray:
        if offset == 0:
            return buffer
        return bytes(buffer[offset : offset + CHUNK]) if offset < len(buffer) else b""

    def progress(*_state: object) -> bool:
        return time.perf_counter() - start > timeout

    p = parser(lang)
    try:
        return p.parse(read, progress_callback=progress)
    except ValueError as exc:  # tree-sitter reports a cancelled parse as "Parsing failed"
        raise ParseTimeout(f"parsing took longer than {timeout:g} s and was stopped") from exc
    finally:
        # A cancelled parse is kept by the parser and *resumed* by its next call, whatever the new input
        # (its tree would be the old file's): always start the next file from a clean state.
        p.reset()
        try:
            buffer.clear()
        except BufferError:  # still exported (not in the versions above): leave it
            pass


def first_errors(root: Node, limit: int = 20) -> list[tuple[int, int]]:
    """(line, byte column + 1) of the first ERROR/MISSING nodes, descending only into broken subtrees."""
    found: list[tuple[int, int]] = []
    stack = [root]
    while stack and len(found) < limit:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append((node.start_point[0] + 1, node.start_point[1] + 1))
            continue
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return found


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_WORD_CATEGORIES = ("L", "N", "Mn", "Mc", "Pc")


def _placeholder(match: re.Match[str]) -> str:
    """ASCII of the same UTF-8 length for each letter, digit or mark; anything else is kept. A character
    literal (`'я'`) is kept whole: `'QQ'` would be a syntax error."""
    text, start, end = match.string, match.start(), match.end()
    if text[start - 1 : start] == "'" and text[end : end + 1] == "'":
        return match.group()
    return "".join("Q" * len(ch.encode("utf-8")) if unicodedata.category(ch).startswith(_WORD_CATEGORIES) else ch
                   for ch in match.group())


def kotlin_parse_input(utf8: bytes) -> bytes:
    """What tree-sitter-kotlin is given: `utf8` with every non-ASCII letter, digit and mark replaced by `Q`s of
    the same byte length. The grammar (1.1) accepts only some non-ASCII letters in identifiers, so
    `object 设备工具` made the whole file an error. Offsets stay exact, and the extractor slices the original
    bytes, so names, strings and comments come out as written. Other non-ASCII characters (spaces, symbols)
    and character literals are left for the grammar to judge. `Q`-runs are never keywords."""
    if utf8.isascii():
        return utf8
    text = utf8.decode("utf-8", "surrogatepass")
    return _NON_ASCII.sub(_placeholder, text).encode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class SourceResult:
    summary: FileSummary | None
    problems: tuple[str, ...]  # for diagnostics; empty when the file was read cleanly
    timed_out: bool = False  # a time limit cut the work short (not cached: a quieter machine may finish)


def summarize(rel_path: str, data: bytes, lang: str, timeout: float = 5.0) -> SourceResult:
    """Decode, parse and summarise within `timeout` seconds in all; never raises for bad input."""
    start = time.perf_counter()
    try:
        decoded = decode(data)
    except BinaryFile as exc:
        return SourceResult(None, (str(exc),))
    problems: list[str] = []
    if decoded.warning:
        problems.append(decoded.warning)
    utf8 = data[len(decoded.bom):] if decoded.encoding == "utf-8" and not decoded.warning else decoded.utf8
    try:
        tree = parse(kotlin_parse_input(utf8) if lang == "kotlin" else utf8, lang, timeout)
    except ParseTimeout as exc:
        return SourceResult(None, (*problems, str(exc)), timed_out=True)
    if lang == "kotlin":
        from pipl_lint.model.extract_kotlin import KotlinExtractor as Ex
    else:
        from pipl_lint.model.extract_java import JavaExtractor as Ex  # type: ignore[assignment]
    ex = Ex(rel_path, utf8)
    ex.deadline = start + timeout  # parsing and summarising share one budget
    if tree.root_node.has_error:
        ex.errors = first_errors(tree.root_node)
    try:
        ex.run(tree.root_node)
    except RecursionError:
        return SourceResult(None, (*problems, "expressions nested too deeply to analyse"))
    summary = ex.finish()
    if ex.too_deep:
        problems.append("expressions nested more than 400 levels deep were skipped")
    if ex.timed_out:
        problems.append(f"summarising took longer than {timeout:g} s and was stopped; the rest of the file "
                        "was not analysed (set `parse-timeout` in pipl-lint.toml)")
    if summary.syntax_errors:
        line, col = summary.syntax_errors[0]
        problems.append(f"syntax errors (first at {line}:{col}); the rest of the file was analysed")
    return SourceResult(summary, tuple(problems), timed_out=ex.timed_out)
