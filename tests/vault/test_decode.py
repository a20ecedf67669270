from __future__ import annotations

import codecs

import pytest

from bagu.errors import UndecodableNote
from bagu.vault.decode import decode_note

TEXT = "# 三次握手\n\n客户端发送 SYN，服务端回复 SYN+ACK。\n"


@pytest.mark.parametrize(
    ("data", "encoding", "has_bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", True),
        (TEXT.encode("gbk"), "gbk", False),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", True),
    ],
)
def test_decodes_and_records_the_encoding(data: bytes, encoding: str, has_bom: bool) -> None:
    decoded = decode_note(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.has_bom is has_bom


def test_gb18030_only_characters() -> None:
    text = "# 笔记\n\n这个字 𠀀 只在 GB18030 里有四字节编码，其余是中文内容，用来检测编码。\n"
    decoded = decode_note(text.encode("gb18030"))
    assert decoded.text == text
    assert decoded.encoding == "gb18030"


def test_binary_file_is_refused_with_a_reason() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(UndecodableNote, match="binary"):
        decode_note(png)


def test_empty_file_is_empty_text() -> None:
    assert decode_note(b"").text == ""


@pytest.mark.parametrize(
    ("text", "newline"),
    [("a\r\nb\r\n", "\r\n"), ("a\nb\n", "\n"), ("a\rb\r", "\r"), ("a\r\nb\nc\n", "\n")],
)
def test_dominant_newline_is_recorded(text: str, newline: str) -> None:
    assert decode_note(text.encode()).newline == newline


def test_broken_bom_is_refused() -> None:
    with pytest.raises(UndecodableNote, match="byte-order mark"):
        decode_note(codecs.BOM_UTF8 + b"\xff\xfe\xfa bad")


def test_a_note_mixing_utf8_and_gbk_lines_is_decoded_line_by_line_and_flagged() -> None:
    utf8_part = "# 三次握手\r\n\r\n客户端发送 SYN，服务端回复 SYN+ACK。\r\n".encode()
    gbk_part = "## 四次挥手\r\n\r\n主动关闭方进入 TIME_WAIT 状态。\r\n".encode("gbk")
    decoded = decode_note(utf8_part + gbk_part)
    assert (
        decoded.text
        == "# 三次握手\r\n\r\n客户端发送 SYN，服务端回复 SYN+ACK。\r\n## 四次挥手\r\n\r\n主动关闭"
        "方进入 TIME_WAIT 状态。\r\n"
    )
    assert decoded.encoding == "utf-8+gbk" and decoded.newline == "\r\n"
    assert decoded.warning is not None and "UTF-8 and GBK" in decoded.warning


def test_a_pure_gbk_note_is_not_called_mixed() -> None:
    decoded = decode_note(("# 标题\n\nplain ascii line\n" + TEXT).encode("gbk"))
    assert decoded.encoding == "gbk" and decoded.warning is None
