"""Join PDF files page by page and embed attachments (standard library only).

Each input's pages are copied with everything they reach (contents, fonts, images), renumbered; the page tree,
the catalog, the outline (one bookmark per input) and the attachments are written anew. The pages are the
inputs' own pages, byte for byte in their content streams, so what the reader sees is what was issued.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from typing import Any

from .pdfread import Name, Pdf, Ref, Stream, page_count, read

__all__ = ["merge", "page_count"]


def _fmt_number(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


def _name(value: str) -> bytes:
    out = bytearray(b"/")
    for byte in value.encode():
        if byte < 0x21 or byte > 0x7E or byte in b"#()<>[]{}/%":
            out += f"#{byte:02X}".encode()
        else:
            out.append(byte)
    return bytes(out)


def serialize(value: Any) -> bytes:
    if value is None:
        return b"null"
    if value is True:
        return b"true"
    if value is False:
        return b"false"
    if isinstance(value, Name):
        return _name(value)
    if isinstance(value, Ref):
        return f"{value.num} {value.gen} R".encode()
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, float):
        return _fmt_number(value)
    if isinstance(value, (bytes, bytearray)):
        return b"<" + bytes(value).hex().encode() + b">"
    if isinstance(value, str):  # text: UTF-16BE with a byte-order mark
        return serialize(b"\xfe\xff" + value.encode("utf-16-be"))
    if isinstance(value, (list, tuple)):
        return b"[" + b" ".join(serialize(item) for item in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b"".join(_name(key) + b" " + serialize(item) for key, item in value.items()) + b">>"
    raise TypeError(f"cannot write {type(value).__name__} to PDF")


class Writer:
    def __init__(self) -> None:
        self.objects: list[Any] = [None]  # object 0 is the free-list head

    def reserve(self) -> Ref:
        self.objects.append(None)
        return Ref(len(self.objects) - 1)

    def add(self, value: Any) -> Ref:
        ref = self.reserve()
        self.objects[ref.num] = value
        return ref

    def set(self, ref: Ref, value: Any) -> None:
        self.objects[ref.num] = value

    def output(self, *, root: Ref, info: Ref, identifier: bytes) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = [0]
        for num, value in enumerate(self.objects[1:], start=1):
            offsets.append(len(out))
            out += f"{num} 0 obj\n".encode()
            if isinstance(value, Stream):
                head = {k: v for k, v in value.dict.items() if k not in {"Length", "DL"}}
                head["Length"] = len(value.raw)
                out += serialize(head) + b"\nstream\n" + value.raw + b"\nendstream"
            else:
                out += serialize(value)
            out += b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects)}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets[1:])
        trailer = {"Size": len(self.objects), "Root": root, "Info": info, "ID": [identifier, identifier]}
        out += b"trailer\n" + serialize(trailer) + f"\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


class _Copier:
    """Copies objects of one input into the writer, each once, following references."""

    def __init__(self, source: Pdf, writer: Writer) -> None:
        self.source, self.writer = source, writer
        self.mapping: dict[int, Ref] = {}

    def ref(self, ref: Ref) -> Ref:
        if ref.num not in self.mapping:
            target = self.writer.reserve()
            self.mapping[ref.num] = target
            self.writer.set(target, self.value(self.source.objects.get(ref.num)))
        done: Ref = self.mapping[ref.num]
        return done

    def value(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.ref(value)
        if isinstance(value, Stream):
            return Stream(self.value(value.dict), value.raw)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items() if key != "Parent"}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


_PAGE_DROP = {"Parent", "StructParents", "Tabs"}


def merge(inputs: list[bytes], *, attachments: Sequence[tuple[str, bytes, str, str]] = (), title: str = "",
          bookmarks: list[str] | None = None) -> bytes:
    """One PDF with the pages of `inputs` in order, one bookmark per input (`bookmarks`), and `attachments`
    (file name, bytes, MIME type, description) in the catalog's EmbeddedFiles name tree."""
    writer = Writer()
    catalog, pages_root = writer.reserve(), writer.reserve()
    kids: list[Ref] = []
    firsts: list[Ref | None] = []
    for data in inputs:
        source = read(data)
        copier = _Copier(source, writer)
        first = None
        pages = source.page_refs()
        for old, _page in pages:  # links between pages of one input land on the copies
            copier.mapping[old.num] = writer.reserve()
        for old, page in pages:
            values = {key: copier.value(item) for key, item in page.items() if key not in _PAGE_DROP}
            values["Type"] = Name("Page")
            values["Parent"] = pages_root
            page_ref = copier.mapping[old.num]
            writer.set(page_ref, values)
            kids.append(page_ref)
            first = first or page_ref
        firsts.append(first)
    writer.set(pages_root, {"Type": Name("Pages"), "Kids": kids, "Count": len(kids)})
    root: dict[str, Any] = {"Type": Name("Catalog"), "Pages": pages_root}
    if bookmarks:
        root["Outlines"] = _outline(writer, [(label, first) for label, first in zip(bookmarks, firsts, strict=True)
                                             if first is not None])
        root["PageMode"] = Name("UseOutlines")
    if attachments:
        tree, specs = _embedded(writer, attachments)
        root["Names"] = {"EmbeddedFiles": tree}
        root["AF"] = specs
    writer.set(catalog, root)
    info = writer.add({"Title": title, "Producer": "jianguan"})
    identifier = hashlib.md5(b"".join(hashlib.sha256(d).digest() for d in inputs), usedforsecurity=False).digest()
    return writer.output(root=catalog, info=info, identifier=identifier)


def _outline(writer: Writer, entries: list[tuple[str, Ref]]) -> Ref:
    outline = writer.reserve()
    items = [writer.reserve() for _ in entries]
    for index, ((label, page), item) in enumerate(zip(entries, items, strict=True)):
        values: dict[str, Any] = {"Title": label, "Parent": outline, "Dest": [page, Name("Fit")]}
        if index:
            values["Prev"] = items[index - 1]
        if index + 1 < len(items):
            values["Next"] = items[index + 1]
        writer.set(item, values)
    head: dict[str, Any] = {"Type": Name("Outlines"), "Count": len(items)}
    if items:
        head.update({"First": items[0], "Last": items[-1]})
    writer.set(outline, head)
    return outline


def _embedded(writer: Writer, attachments: Sequence[tuple[str, bytes, str, str]]) -> tuple[dict[str, Any], list[Ref]]:
    pairs, specs = [], []
    for name, data, mime, description in sorted(attachments, key=lambda a: a[0].encode("utf-16-be")):
        stream = writer.add(Stream({"Type": Name("EmbeddedFile"), "Subtype": Name(mime), "Filter": Name("FlateDecode"),
                                    "Params": {"Size": len(data), "CheckSum": hashlib.md5(
                                        data, usedforsecurity=False).digest()}}, zlib.compress(data, 6)))
        spec = writer.add({"Type": Name("Filespec"), "F": name.encode("ascii", errors="replace"), "UF": name,
                           "Desc": description, "EF": {"F": stream, "UF": stream},
                           "AFRelationship": Name("Data")})
        pairs += [name, spec]
        specs.append(spec)
    return {"Names": pairs}, specs
