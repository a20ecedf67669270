"""Turn a note's bytes into text: BOMs, UTF-8, GBK/GB18030, UTF-16/32, and a refusal for binary
files.

A note that mixes UTF-8 lines and GBK lines (pasted from two editors) is decoded line by line and
flagged, rather than read whole as GBK, which would garble every UTF-8 line without a word.

Pure: bytes in, `DecodedText` out, or `UndecodableNote` with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from bagu.errors import UndecodableNote
from bagu.vault.language import CJK

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NEWLINES = re.compile(r"\r\n|\r|\n")
# no codec can write such a note back byte for byte: `bagu fix` leaves it alone
MIXED_ENCODING = "utf-8+gbk"


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    has_bom: bool
    newline: str
    warning: str | None = None


def _dominant_newline(text: str) -> str:
    counts = {"\r\n": 0, "\r": 0, "\n": 0}
    for match in _NEWLINES.finditer(text):
        counts[match.group()] += 1
    return max(counts, key=lambda nl: (counts[nl], nl == "\n"))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def _decode_legacy(data: bytes) -> str | None:
    """Chinese notes from Windows editors are GBK (GB18030 superset); prefer it when it reads as
    Chinese."""
    for encoding in ("gbk", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(CJK.findall(text)) >= max(1, len(text) // 50):
            return encoding
    return None


def _decode_mixed(data: bytes) -> str | None:
    """Line by line, when some lines are non-ASCII UTF-8 and the others decode only as GBK/GB18030.

    Safe to split on LF: no multi-byte GBK or UTF-8 character contains the byte 0x0A.
    """
    lines, utf8, legacy = [], 0, 0
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += not line.isascii()
            continue
        except UnicodeDecodeError:
            pass
        for encoding in ("gbk", "gb18030"):
            try:
                lines.append(line.decode(encoding))
                legacy += 1
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    return "\n".join(lines) if utf8 and legacy else None


def decode_note(data: bytes) -> DecodedText:
    """Decode a note, recording the encoding so that a later write-back can reproduce it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableNote(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc}"
                ) from exc
            return DecodedText(text, encoding, True, _dominant_newline(text))
    if _looks_binary(data):
        raise UndecodableNote("looks like a binary file (NUL or control bytes), not Markdown text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return DecodedText(text, "utf-8", False, _dominant_newline(text))
    mixed = _decode_mixed(data)
    if mixed is not None:
        warning = (
            "mixes UTF-8 and GBK lines; each line was decoded on its own (re-save the note as "
            "UTF-8)"
        )
        return DecodedText(mixed, MIXED_ENCODING, False, _dominant_newline(mixed), warning)
    legacy = _decode_legacy(data)
    if legacy is not None:
        text = data.decode(legacy)
        return DecodedText(text, legacy, False, _dominant_newline(text))
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableNote(
            "is neither UTF-8 nor GBK/GB18030 and no other encoding fits; re-save it as UTF-8"
        )
    text = str(best)
    return DecodedText(text, best.encoding, False, _dominant_newline(text))


def encode_note(text: str, encoding: str, has_bom: bool) -> bytes:
    """The inverse of `decode_note`: the same encoding, and the byte-order mark when the note had
    one."""
    data = text.encode(encoding)
    if has_bom:
        bom = next(bom for bom, name in _BOMS if name == encoding)
        data = bom + data
    return data
