"""A small PDF object reader (standard library only): enough to walk pages and extract embedded files.

It reads the objects of a file in order (later definitions of an object number win, as with incremental
updates), unpacks object streams, and follows the catalog. It is meant for the files this platform writes
(WeasyPrint/pydyf output and the case files of `pdfmerge`) and for checking them outside the platform
(`verify_bundle`); it is not a general PDF library: encryption and filters other than FlateDecode are refused.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

WHITESPACE = b"\x00\t\n\x0c\r "
DELIMITERS = b"()<>[]{}/%"
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_OBJ_BEHIND = re.compile(rb"(?<![0-9])(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj\Z")
_REF = re.compile(rb"\s*(\d+)\s+R(?=[\s()<>\[\]{}/%]|$)")
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")
_SHOWN = ("Contents", "Resources", "MediaBox", "CropBox", "Rotate", "Group")
_NOT_SHOWN = frozenset({"Parent", "P", "Annots", "StructParents", "StructParent", "Dest", "Next", "Prev"})


class PdfError(ValueError):
    """The file is not a PDF this reader understands."""


class Name(str):
    """A PDF name (/Type); a plain `str` is never written as a name."""


@dataclass(frozen=True)
class Ref:
    num: int
    gen: int = 0


@dataclass
class Stream:
    dict: dict[str, Any]
    raw: bytes

    def decoded(self) -> bytes:
        filters = self.dict.get("Filter")
        if filters is None:
            return self.raw
        if not isinstance(filters, list):
            filters = [filters]
        data = self.raw
        for name in filters:
            if name != "FlateDecode":
                raise PdfError(f"unsupported filter {name}")
            try:
                data = zlib.decompress(data)
            except zlib.error as error:
                raise PdfError(f"corrupt stream: {error}") from None
        parms = self.dict.get("DecodeParms")
        if isinstance(parms, dict) and parms.get("Predictor", 1) > 1:
            raise PdfError("unsupported predictor")
        return data


@dataclass
class Pdf:
    objects: dict[int, Any] = field(default_factory=dict)
    trailer: dict[str, Any] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        seen = 0
        while isinstance(value, Ref):
            value = self.objects.get(value.num)
            seen += 1
            if seen > 32:
                raise PdfError("reference loop")
        return value

    @property
    def root(self) -> dict[str, Any]:
        root = self.resolve(self.trailer.get("Root"))
        if not isinstance(root, dict):
            raise PdfError("no document catalog")
        return root

    def page_refs(self) -> list[tuple[Ref, dict[str, Any]]]:
        """Every page in order with its inheritable attributes resolved onto a copy of its dictionary."""
        pages: list[tuple[Ref, dict[str, Any]]] = []

        def walk(ref: Any, inherited: dict[str, Any], depth: int) -> None:
            if depth > 64:
                raise PdfError("page tree too deep")
            node = self.resolve(ref)
            if not isinstance(node, dict):
                return
            values = {**inherited, **{k: node[k] for k in ("Resources", "MediaBox", "CropBox", "Rotate")
                                      if k in node}}
            if node.get("Type") == "Pages" or "Kids" in node:
                for kid in self.resolve(node.get("Kids", [])):
                    walk(kid, values, depth + 1)
            else:
                pages.append((ref, {**values, **node}))

        walk(self.root.get("Pages"), {}, 0)
        return pages

    def page_digests(self) -> list[str]:
        """For each page, a SHA-256 over what it shows: its content streams, resources (fonts, images) and boxes,
        followed through references (not through Parent, links or structure). Equal on a page and its copy."""
        memo: dict[int, bytes] = {}

        def digest(value: Any, depth: int) -> bytes:
            if depth > 64:
                raise PdfError("object graph too deep")
            if isinstance(value, Ref):
                if value.num not in memo:
                    memo[value.num] = b"(cycle)"
                    memo[value.num] = digest(self.objects.get(value.num), depth + 1)
                return memo[value.num]
            hasher = hashlib.sha256()
            if isinstance(value, Stream):
                hasher.update(b"S" + digest(value.dict, depth + 1) + hashlib.sha256(value.raw).digest())
            elif isinstance(value, dict):
                hasher.update(b"D")
                for key in sorted(value):
                    if key not in _NOT_SHOWN and key not in ("Length", "DL"):
                        hasher.update(key.encode() + b"=" + digest(value[key], depth + 1))
            elif isinstance(value, list):
                hasher.update(b"A" + b"".join(digest(item, depth + 1) for item in value))
            else:
                hasher.update(f"{type(value).__name__}:{value!r}".encode())
            return hasher.digest()

        return [digest({k: v for k, v in page.items() if k in _SHOWN}, 0).hex() for _ref, page in self.page_refs()]

    def embedded_files(self) -> dict[str, bytes | None]:
        """The attachments of the document (name → decoded bytes, None when corrupt) from the catalog's
        EmbeddedFiles name tree."""
        files: dict[str, bytes | None] = {}
        names = self.resolve(self.root.get("Names"))
        tree = self.resolve(names.get("EmbeddedFiles")) if isinstance(names, dict) else None

        def walk(node: Any, depth: int) -> None:
            node = self.resolve(node)
            if not isinstance(node, dict) or depth > 32:
                return
            entries = self.resolve(node.get("Names", []))
            for index in range(0, len(entries) - 1, 2):
                spec = self.resolve(entries[index + 1])
                key = self.resolve(entries[index])
                name = text(spec.get("UF") or spec.get("F") or key) if isinstance(spec, dict) else text(key)
                embedded = self.resolve((spec.get("EF") or {}).get("F")) if isinstance(spec, dict) else None
                if isinstance(embedded, Stream):
                    try:
                        files[name] = embedded.decoded()
                    except PdfError:
                        files[name] = None
            for kid in self.resolve(node.get("Kids", [])):
                walk(kid, depth + 1)

        if tree is not None:
            walk(tree, 0)
        return files


def text(value: Any) -> str:
    """A PDF text string: UTF-16BE with a byte-order mark, UTF-8 with one, or PDFDocEncoding (read as Latin-1)."""
    if isinstance(value, str):
        return str(value)
    if not isinstance(value, (bytes, bytearray)):
        return ""
    data = bytes(value)
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    return data.decode("latin-1")


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.n = len(data)

    def skip(self, pos: int) -> int:
        data, n = self.data, self.n
        while pos < n:
            c = data[pos]
            if c in WHITESPACE:
                pos += 1
            elif c == 0x25:  # % comment
                while pos < n and data[pos] not in b"\r\n":
                    pos += 1
            else:
                break
        return pos

    def value(self, pos: int) -> tuple[Any, int]:
        data = self.data
        pos = self.skip(pos)
        if pos >= self.n:
            raise PdfError("unexpected end of file")
        c = data[pos]
        if c == 0x2F:  # /
            return self.name(pos + 1)
        if c == 0x3C:  # <
            if data[pos + 1:pos + 2] == b"<":
                return self.dictionary(pos + 2)
            end = data.index(b">", pos)
            hexdigits = bytes(b for b in data[pos + 1:end] if b not in WHITESPACE)
            if len(hexdigits) % 2:
                hexdigits += b"0"
            return bytes.fromhex(hexdigits.decode("ascii")), end + 1
        if c == 0x28:  # (
            return self.literal(pos + 1)
        if c == 0x5B:  # [
            items: list[Any] = []
            pos += 1
            while True:
                pos = self.skip(pos)
                if data[pos] == 0x5D:
                    return items, pos + 1
                item, pos = self.value(pos)
                items.append(item)
        match = _NUMBER.match(data, pos)
        if match:
            token = match.group()
            if b"." in token:
                return float(token), match.end()
            number = int(token)
            ref = _REF.match(data, match.end())
            if ref and token.isdigit():
                return Ref(number, int(ref.group(1))), ref.end()
            return number, match.end()
        end = pos
        while end < self.n and data[end] not in WHITESPACE and data[end] not in DELIMITERS:
            end += 1
        word = data[pos:end]
        if word == b"true":
            return True, end
        if word == b"false":
            return False, end
        if word == b"null":
            return None, end
        raise PdfError(f"unexpected token {word[:20]!r} at {pos}")

    def name(self, pos: int) -> tuple[Name, int]:
        data, end = self.data, pos
        while end < self.n and data[end] not in WHITESPACE and data[end] not in DELIMITERS:
            end += 1
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data[pos:end])
        return Name(raw.decode("utf-8", errors="replace")), end

    def dictionary(self, pos: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        data = self.data
        while True:
            pos = self.skip(pos)
            if data[pos:pos + 2] == b">>":
                return result, pos + 2
            key, pos = self.value(pos)
            if not isinstance(key, Name):
                raise PdfError(f"dictionary key is not a name at {pos}")
            result[str(key)], pos = self.value(pos)

    def literal(self, pos: int) -> tuple[bytes, int]:
        data, out, depth = self.data, bytearray(), 1
        escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
        while pos < self.n:
            c = data[pos]
            if c == 0x5C:  # backslash
                pos += 1
                e = data[pos]
                if e in escapes:
                    out.append(escapes[e])
                elif 0x30 <= e <= 0x37:
                    digits = data[pos:pos + 3]
                    count = 1
                    while count < len(digits) and 0x30 <= digits[count] <= 0x37:
                        count += 1
                    out.append(int(digits[:count], 8) & 0xFF)
                    pos += count - 1
                elif e == 0x0D:
                    if data[pos + 1:pos + 2] == b"\n":
                        pos += 1
                elif e != 0x0A:
                    out.append(e)
            elif c == 0x28:
                depth += 1
                out.append(c)
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    return bytes(out), pos + 1
                out.append(c)
            else:
                out.append(c)
            pos += 1
        raise PdfError("unterminated string")

    def indirect(self, pos: int, lengths: dict[int, Any]) -> tuple[int, Any, int]:
        """The object `N G obj … endobj` starting at `pos`: (number, value, end position)."""
        match = _OBJ.match(self.data, pos)
        if not match:
            raise PdfError(f"no object at {pos}")
        value, pos = self.value(match.end())
        pos = self.skip(pos)
        if self.data.startswith(b"stream", pos) and isinstance(value, dict):
            pos += 6
            if self.data[pos:pos + 2] == b"\r\n":
                pos += 2
            elif self.data[pos:pos + 1] in (b"\n", b"\r"):
                pos += 1
            length = value.get("Length")
            if isinstance(length, Ref):
                length = lengths.get(length.num)
            end = pos + length if isinstance(length, int) else -1
            after = self.skip(end) if 0 <= end <= self.n else -1
            if after < 0 or not self.data.startswith(b"endstream", after):
                end = self.data.find(b"endstream", pos)  # a wrong or unknown /Length: fall back to the keyword
                if end < 0:
                    raise PdfError("unterminated stream")
                after = end
                if self.data[end - 2:end] == b"\r\n":
                    end -= 2
                elif self.data[end - 1:end] in (b"\n", b"\r"):
                    end -= 1
            value = Stream(value, self.data[pos:end])
            pos = after + 9
        pos = self.skip(pos)
        if self.data.startswith(b"endobj", pos):
            pos += 6
        return int(match.group(1)), value, pos


def read(data: bytes) -> Pdf:
    """Parse `data` into its objects and trailer."""
    if not data.startswith(b"%PDF-"):
        raise PdfError("not a PDF file")
    parser = _Parser(data)
    pdf = Pdf()
    positions: dict[int, int] = {}
    lengths: dict[int, Any] = {}
    streams: list[tuple[int, Stream]] = []
    trailers = _positions(data, b"trailer")
    pos = 0
    while True:
        match = _next_object(data, pos)
        index = bisect.bisect_left(trailers, pos)
        trailer = trailers[index] if index < len(trailers) else -1
        if trailer >= 0 and (not match or trailer < match.start()):
            value, pos = parser.value(trailer + 7)
            if isinstance(value, dict):
                pdf.trailer.update(value)
            continue
        if not match:
            break
        try:
            num, value, pos = parser.indirect(match.start(), lengths)
        except (PdfError, IndexError, ValueError):
            pos = match.end()
            continue
        pdf.objects[num] = value
        positions[num] = match.start()
        if isinstance(value, int):
            lengths[num] = value
        if isinstance(value, Stream):
            if value.dict.get("Type") == "ObjStm":
                streams.append((match.start(), value))
            elif value.dict.get("Type") == "XRef":
                pdf.trailer.update({k: v for k, v in value.dict.items() if k in {"Root", "Info", "ID", "Encrypt"}})
    for at, stream in streams:
        _unpack(parser, pdf, positions, at, stream)
    if "Encrypt" in pdf.trailer:
        raise PdfError("encrypted PDF files are not supported")
    return pdf


def _positions(data: bytes, word: bytes) -> list[int]:
    found, at = [], data.find(word)
    while at >= 0:
        found.append(at)
        at = data.find(word, at + 1)
    return found


def _next_object(data: bytes, pos: int) -> re.Match[bytes] | None:
    """The next `N G obj` header at or after `pos` (found by the keyword, then checked by a regex behind it)."""
    while True:
        at = data.find(b"obj", pos)
        if at < 0:
            return None
        after = data[at + 3:at + 4]
        if not after or after in WHITESPACE or after in DELIMITERS:
            match = _OBJ_BEHIND.search(data, max(pos, at - 32), at + 3)
            if match:
                return match
        pos = at + 3


def _unpack(parser: _Parser, pdf: Pdf, positions: dict[int, int], at: int, stream: Stream) -> None:
    body = stream.decoded()
    inner = _Parser(body)
    count, first = int(stream.dict.get("N", 0)), int(stream.dict.get("First", 0))
    header, pos = [], 0
    for _ in range(count * 2):
        value, pos = inner.value(pos)
        header.append(value)
    for index in range(count):
        num, offset = header[2 * index], header[2 * index + 1]
        if positions.get(num, -1) > at:
            continue  # defined again after this object stream
        pdf.objects[num], _ = inner.value(first + offset)
        positions[num] = at


def page_count(data: bytes) -> int:
    return len(read(data).page_refs())
