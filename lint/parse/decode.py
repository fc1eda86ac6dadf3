"""Turn the bytes of a source file into text, whatever encoding it arrived in.

Order of evidence: a byte-order mark; NUL-byte patterns typical of UTF-16/UTF-32 without a BOM; strict
UTF-8; UTF-8 with replacement characters (and a warning). Bytes that look binary are refused.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # must precede UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFile(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes
    warning: str | None = None

    @property
    def utf8(self) -> bytes:
        """The text as UTF-8, for parsers that need bytes."""
        return self.text.encode("utf-8", "surrogatepass")


def _nul_pattern(sample: bytes) -> str | None:
    """Guess UTF-16/32 without a BOM from where the NUL bytes sit in mostly-ASCII text."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    n = len(sample) - len(sample) % 4
    quads = [sample[i : i + 4] for i in range(0, n, 4)]
    if not quads:
        return None
    head = quads[:64]
    # Every quad a code point (at most U+10FFFF), most of them ASCII or Latin-1 and not NUL; UTF-16 text
    # fails this (its second character sits where a UTF-32 code point has zero bytes).
    if all(q[3] == 0 and q[2] <= 0x10 for q in head) and _mostly(head, 0, (1, 2)):
        return "utf-32-le"
    if all(q[0] == 0 and q[1] <= 0x10 for q in head) and _mostly(head, 3, (1, 2)):
        return "utf-32-be"
    even = sample[0::2][:256]
    odd = sample[1::2][:256]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _mostly(quads: list[bytes], char: int, zeros: tuple[int, int]) -> bool:
    """At least half of `quads` have a non-zero low byte and zero middle bytes (an ASCII/Latin-1 char)."""
    hits = sum(1 for q in quads if q[char] and not q[zeros[0]] and not q[zeros[1]])
    return 2 * hits >= len(quads)


_CONTROL = bytes(b for b in range(32) if b < 0x09 or 0x0E <= b < 0x20)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return len(sample) > 0 and controls > 0.05 * len(sample)


def decode(data: bytes) -> Decoded:
    """Decode `data`; raise BinaryFile when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(encoding, errors="replace")
            warning = None
            if "\ufffd" in text and "\ufffd".encode(encoding) not in body:
                warning = f"invalid {encoding.upper()} bytes were replaced"
            return Decoded(text, encoding, bom, warning)
    guessed = _nul_pattern(data[:4096])
    if guessed:
        text = data.decode(guessed, errors="replace")
        return Decoded(text, guessed, b"", f"decoded as {guessed.upper()} without a byte-order mark")
    if _looks_binary(data):
        raise BinaryFile("binary content (NUL or control bytes); not a text file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, exc.start) + 1
        return Decoded(text, "utf-8", b"", f"invalid UTF-8 from line {line} on; bytes were replaced")
