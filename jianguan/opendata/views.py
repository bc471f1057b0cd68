"""Pages of open data on the public portal (ADR 0051): the bulk files with their size, day and SHA-256, and each
file served as written — only the names the export wrote and still offers; any other name is 404, so no path
reaches anything else in the folder."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import exports

TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/index.html", {"files": exports.listing()})


def download(request: HttpRequest, name: str) -> FileResponse:
    path = exports.served(name)
    if path is None:
        raise Http404()
    content_type = TYPES.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
