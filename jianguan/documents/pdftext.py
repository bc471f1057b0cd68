"""The text a PDF shows, page by page (standard library only, on `pdfread`): for checking what a published file
gives away, not for layout. It reads the fonts' ToUnicode maps (WeasyPrint writes one for every font), follows
the text operators of each page's content streams and of the forms they draw (`Do`), and puts a line break
between text objects. Glyphs without a mapping read as U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

from .pdfread import Pdf, Stream, read

_TOKEN = re.compile(rb"/([^\s/\[\]()<>{}%]+)|<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\()])*)\)|([A-Za-z'\"*]+)|[-+.\d]+|[\[\]]",
                    re.DOTALL)
_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
_SHOW = {b"Tj", b"TJ", b"'", b'"'}


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", errors="replace")


def cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's codes → text (bfchar and bfrange sections)."""
    codes: dict[int, str] = {}
    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for source, target in _HEX_PAIR.findall(section):
            codes[int(source, 16)] = _utf16(target)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for low, high, target in _RANGE.findall(section):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", target)):
                    codes[first + offset] = _utf16(item)
            else:
                base = int(target[1:-1], 16)
                for offset in range(min(last - first + 1, 65536)):
                    codes[first + offset] = chr(base + offset) if base + offset < 0x110000 else "\ufffd"
    return codes


class _Reader:
    def __init__(self, pdf: Pdf) -> None:
        self.pdf = pdf
        self.maps: dict[int, tuple[dict[int, str], int]] = {}
        self.current: tuple[dict[int, str], int] = ({}, 1)

    def font(self, resources: dict[str, Any], name: str) -> tuple[dict[int, str], int]:
        fonts = self.pdf.resolve(resources.get("Font")) or {}
        font = self.pdf.resolve(fonts.get(name)) if isinstance(fonts, dict) else None
        if not isinstance(font, dict):
            return {}, 1
        key = id(font)
        if key not in self.maps:
            unicode = self.pdf.resolve(font.get("ToUnicode"))
            width = 2 if font.get("Subtype") == "Type0" else 1
            self.maps[key] = (cmap(unicode.decoded()) if isinstance(unicode, Stream) else {}, width)
        return self.maps[key]

    def shown(self, raw: bytes, font: tuple[dict[int, str], int]) -> str:
        codes, width = font
        values = [int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw) - width + 1, width)]
        return "".join(codes.get(v, chr(v) if not codes and width == 1 else "\ufffd") for v in values)

    def content(self, data: bytes, resources: dict[str, Any], out: list[str], depth: int = 0) -> None:
        self.current = ({}, 1)
        operands: list[tuple[str, bytes]] = []
        for match in _TOKEN.finditer(data):
            name, hexed, literal, operator = match.groups()
            if name is not None:
                operands.append(("name", name))
            elif hexed is not None:
                digits = bytes(b for b in hexed if b not in b" \t\r\n")
                operands.append(("string", bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())))
            elif literal is not None:
                operands.append(("string", _unescape(literal)))
            elif operator is not None:
                self.operator(operator, operands, resources, out, depth)
                operands = []

    def operator(self, operator: bytes, operands: list[tuple[str, bytes]], resources: dict[str, Any],
                 out: list[str], depth: int) -> None:
        names = [value.decode("utf-8", "replace") for kind, value in operands if kind == "name"]
        if operator == b"Tf" and names:
            self.current = self.font(resources, names[-1])
        elif operator in _SHOW:
            out.append("".join(self.shown(value, self.current) for kind, value in operands if kind == "string"))
        elif operator in (b"BT", b"ET", b"T*"):
            out.append("\n")
        elif operator == b"Do" and names and depth < 16:
            xobjects = self.pdf.resolve(resources.get("XObject")) or {}
            form = self.pdf.resolve(xobjects.get(names[-1])) if isinstance(xobjects, dict) else None
            if isinstance(form, Stream) and form.dict.get("Subtype") == "Form":
                inner = self.pdf.resolve(form.dict.get("Resources")) or resources
                outer = self.current
                self.content(form.decoded(), inner, out, depth + 1)
                self.current = outer


def _unescape(literal: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def one(match: re.Match[bytes]) -> bytes:
        body = match.group(1)
        if body[:1].isdigit():
            return bytes([int(body, 8) & 0xFF])
        return escapes.get(body, body)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.DOTALL)


def page_texts(data: bytes) -> list[str]:
    """The text each page of the PDF `data` shows, in content order."""
    pdf = read(data)
    reader = _Reader(pdf)
    pages = []
    for _ref, page in pdf.page_refs():
        resources = pdf.resolve(page.get("Resources")) or {}
        contents = pdf.resolve(page.get("Contents"))
        streams = [pdf.resolve(c) for c in contents] if isinstance(contents, list) else [contents]
        out: list[str] = []
        for stream in streams:
            if isinstance(stream, Stream):
                reader.content(stream.decoded(), resources, out)
        pages.append("".join(out))
    return pages


def info(data: bytes) -> dict[str, Any]:
    """The document information dictionary (Producer, Title, CreationDate …), empty when there is none."""
    pdf = read(data)
    found = pdf.resolve(pdf.trailer.get("Info"))
    return dict(found) if isinstance(found, dict) else {}
