"""CORS for the open-data API (ADR 0051): any origin may read `/api/v1/public/` from a browser — its GETs answer
with `Access-Control-Allow-Origin: *` and a preflight (OPTIONS) is answered here — and nothing else: no other path
gets the header, so the signed-in API and the portals stay same-origin. No credentials are ever allowed."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PUBLIC_API = "/api/v1/public/"
MAX_AGE = 86400


class PublicCors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PUBLIC_API):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
            response["Access-Control-Max-Age"] = str(MAX_AGE)
            response["Allow"] = "GET, OPTIONS"
        else:
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD"):
                return response
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Retry-After"
        return response
