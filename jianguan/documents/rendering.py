"""From a kind's template and a context to the HTML and the A4 PDF of a 文书.

Templates run in an engine of their own: it sees only this app's document templates (an edited template may
extend or include them, nothing else), has the filters of `templatetags.document_filters` built in, and renders
a missing value as empty (the filters turn it into a blank to fill by hand). WeasyPrint fetches nothing: only
`data:` URLs are allowed, so a template cannot reach the network or the file system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template
from django.utils import timezone
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher

from jianguan.core.errors import DomainError

from .kinds import KINDS

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
KIND_TEMPLATE = "documents/kinds/{kind}.html"
FILTERS = "jianguan.documents.templatetags.document_filters"


def _engine(*, debug: bool) -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], app_dirs=False, debug=debug, autoescape=True, string_if_invalid="",
                  builtins=[FILTERS], libraries={})


ENGINE = _engine(debug=False)
CHECKING_ENGINE = _engine(debug=True)  # keeps line numbers for error messages


@dataclass(frozen=True)
class Source:
    """The template a document is rendered from: the DB version (id, number) or the packaged default (0)."""

    kind: str
    body: str
    css: str = ""
    version: int = 0
    template_id: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(f"{self.body}\x00{self.css}".encode()).hexdigest()


def packaged_source(kind: str) -> Source:
    """The default template shipped with the code for `kind`."""
    path = TEMPLATE_DIR / KIND_TEMPLATE.format(kind=kind)
    return Source(kind=kind, body=path.read_text(encoding="utf-8"))


@lru_cache(maxsize=128)
def _compiled(body: str) -> Template:
    return ENGINE.from_string(body)


def header(*, kind: str, department: Any, number: str, on: dt.date | None = None) -> dict[str, Any]:
    """`doc` of a document: title, number, issuer (the department's full name) and the date it bears."""
    day = on or timezone.localdate()
    return {"kind": kind, "title": KINDS[kind], "number": number, "issuer": department.name,
            "department": department.name, "short_name": department.short_name,
            "region": getattr(department.region, "name", ""), "date": day.isoformat(), "year": day.year}


def document_context(*, kind: str, department: Any, context: dict[str, Any], number: str,
                     extra_css: str = "") -> dict[str, Any]:
    """The caller's context plus `doc` (`header`, dated today)."""
    return {**context, "doc": header(kind=kind, department=department, number=number), "extra_css": extra_css}


def render_html(source: Source, *, department: Any, context: dict[str, Any], number: str,
                doc: dict[str, Any] | None = None) -> str:
    """The document's HTML; `doc` is the header fixed at issue (else today's, for previews)."""
    values = document_context(kind=source.kind, department=department, context=context, number=number,
                              extra_css=source.css)
    if doc:
        values["doc"] = doc
    return _compiled(source.body).render(Context(values, autoescape=True))


_FETCHER = URLFetcher(allowed_protocols={"data"})


class FontsMissing(DomainError):
    """No font on this machine covers Chinese: a PDF laid out now would show boxes for every character, and its
    bytes and hash would be stored for good. Rendering refuses instead."""

    status = 503
    code = "cjk_fonts_missing"


_FONTS_FOUND: list[str] = []  # the first family found, once found (fonts are not removed from a running server)


def cjk_fonts() -> list[str]:
    """Font families that fontconfig (the font lookup WeasyPrint's Pango uses) lists for Chinese (`:lang=zh`)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    listed = subprocess.run([program, ":lang=zh", "family"],  # noqa: S603 (a fixed program and arguments)
                            capture_output=True, text=True, check=False).stdout
    return sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})


def require_cjk_fonts() -> None:
    """Refuse to render without a Chinese font (fonts-noto-cjk; `make demo` and `make test` install it)."""
    if _FONTS_FOUND:
        return
    families = cjk_fonts()
    if not families:
        raise FontsMissing("本机没有可用的中文字体（需要 fontconfig 与 fonts-noto-cjk），文书无法正确排版，已拒绝生成；"
                           "请运行 scripts/system-packages 安装后重试", field="fonts")
    _FONTS_FOUND.append(families[0])


def html_document(html: str) -> Document:
    """Lay `html` out as pages (WeasyPrint), fetching nothing; refused without a Chinese font."""
    require_cjk_fonts()
    return HTML(string=html, base_url="data:,", url_fetcher=_FETCHER).render()


def to_pdf(document: Document, **options: Any) -> bytes:
    pdf: bytes = document.write_pdf(**options)
    return pdf


def _bare(document: Document, pdf: Any) -> None:
    """Empty the information dictionary WeasyPrint fills (Producer, Title, Author, dates): nothing about how,
    when or by whom a published file was made."""
    for key in list(pdf.info):
        del pdf.info[key]


def to_bare_pdf(document: Document) -> bytes:
    """The PDF of `document` with no document information (no producer, title, author or dates) and a file
    identifier derived from its pages rather than the time."""
    identifier = hashlib.sha256(repr([page.width for page in document.pages]).encode()
                                + str(len(document.pages)).encode()).hexdigest()[:32].encode()
    return to_pdf(document, pdf_identifier=identifier, custom_metadata=False, finisher=_bare)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    sha256: str


def render_pdf(source: Source, *, department: Any, context: dict[str, Any], number: str,
               doc: dict[str, Any] | None = None) -> Rendered:
    """The PDF of one document, its page count and SHA-256."""
    document = html_document(render_html(source, department=department, context=context, number=number, doc=doc))
    data = to_pdf(document, pdf_identifier=_identifier(source, number, context), custom_metadata=False)
    return Rendered(pdf=data, pages=len(document.pages), sha256=hashlib.sha256(data).hexdigest())


def _identifier(source: Source, number: str, context: dict[str, Any]) -> bytes:
    # A stable file identifier instead of a random one; WeasyPrint also stamps the creation date in the metadata.
    return hashlib.sha256(f"{source.sha256}|{number}|{sorted(context)}".encode()).hexdigest()[:32].encode()
