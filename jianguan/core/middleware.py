"""Middleware of the portals: the language in use, the input layer's limits on every request, domain errors
turned into the right page, and the headers that keep a signed-in person's pages private and the browser's
features off."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import check_for_language

from . import inputs
from .errors import DomainError, NotFound, ValidationFailed


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The language a visitor chose (the language cookie), otherwise the platform's default (中文).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted: a government platform speaks
    Chinese unless someone switches, whatever the browser's locale happens to be.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, DomainError):
            return render(request, "portal/error.html", {"error": exception}, status=exception.status)
        return None


class PrivateResponseMiddleware:
    """`Permissions-Policy` on every response (camera and position only for this site's own pages: the phone page of
    field inspections; the rest off), and `Cache-Control: no-store` on every response to a signed-in person or a
    system, so that no browser or proxy cache keeps what only they may read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.JIANGUAN_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        if self._signed_in(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        if getattr(request, "auth", None) is not None:  # the API's caller: a person's token or a system's key
            return True
        user = getattr(request, "user", None)
        if user is None or (isinstance(user, SimpleLazyObject) and settings.SESSION_COOKIE_NAME not in request.COOKIES):
            return False  # no session cookie and nobody signed in during this request: the session is not read
        return bool(user.is_authenticated)


class InputLimitsMiddleware:
    """The input layer in front of every page and endpoint (`inputs.py`): a body over the size limit is refused
    before it is read (413), a form or multipart body that cannot be parsed (no boundary, broken parts, too many
    fields) is refused with 400 instead of failing inside a view, and NUL characters in the query string or form
    fields are refused naming the field. API paths answer with the JSON envelope, pages with the error page."""

    BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self.check(request)
        except DomainError as error:
            return refusal(request, error)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            raise ValidationFailed("请求头 Content-Length 无效", code="content_length_invalid", field="Content-Length")
        if int(length) > inputs.max_body_bytes():
            raise inputs.body_too_large(int(length))
        self.check_values(request.GET.lists(), "query")
        if request.method in self.BODY_METHODS and request.content_type in ("multipart/form-data",
                                                                             "application/x-www-form-urlencoded"):
            try:
                self.check_values(request.POST.lists(), "form")
                request.FILES  # noqa: B018 (parsed here, so that a broken part is refused before any view)
            except RequestDataTooBig:
                raise inputs.body_too_large(int(length), settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from None
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as exc:
                raise ValidationFailed(f"表单请求体无法解析：{_reason(exc)}", code="multipart_invalid") from None

    @staticmethod
    def check_values(pairs: object, where: str) -> None:
        for name, values in pairs:  # type: ignore[attr-defined]
            if "\x00" in name or any("\x00" in value for value in values):
                raise inputs.invalid_character(name.replace("\x00", "") or where)


def _reason(exc: Exception) -> str:
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return "字段或文件过多"
    if "boundary" in str(exc).lower():
        return "缺少或错误的分隔符（boundary）"
    return "格式不正确"


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """`error` as the API's envelope under /api/, otherwise as the error page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(error.as_envelope(), status=error.status, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/error.html", {"error": error}, status=error.status)
