"""Shared pieces of the JSON API: the error envelope, strict input schemas, pagination.

Every error leaves the API as `{"code": str, "message": str, "field"?: str, "extra"?: {...}}` with the
status of its kind: 400 bad input, 401 not signed in, 403 not allowed, 404 not found (or out of scope),
409 invalid transition, 413 too large.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict

from .errors import DomainError

T = TypeVar("T")


class ChineseJSONRenderer(JSONRenderer):
    """JSON in UTF-8 without escaping Chinese characters."""

    json_dumps_params = {"ensure_ascii": False}


class InputSchema(Schema):
    """Base of every request body: unknown fields are refused (400), not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    extra: dict[str, Any] | None = None


class Page(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    count: int
    limit: int
    offset: int
    items: list[T]


def paginate(queryset: Any, *, limit: int, offset: int, count: int | None = None) -> dict[str, Any]:
    """A page of `queryset` with the total; `count`, when the caller knows it already, saves counting again."""
    limit = max(1, min(limit, settings.JIANGUAN_API_PAGE_MAX))
    offset = max(0, offset)
    return {"count": queryset.count() if count is None else count, "limit": limit, "offset": offset,
            "items": list(queryset[offset:offset + limit])}


def principal(request: HttpRequest) -> Any:
    """Who is calling: a person (`is_person`, `has_role`) or a system (`scopes`); both carry `.scope`."""
    return request.auth  # type: ignore[attr-defined]


def require_person(request: HttpRequest, *roles: str) -> Any:
    """The signed-in person (systems are refused with 403); with `roles`, one of them is required."""
    who = principal(request)
    if not getattr(who, "is_person", False) or (roles and not who.has_role(*roles)):
        raise AuthorizationError()
    return who


def require_reader(request: HttpRequest, api_scope: str) -> Any:
    """A person, or a system holding `api_scope`."""
    who = principal(request)
    if not getattr(who, "is_person", False) and api_scope not in getattr(who, "scopes", ()):
        raise AuthorizationError()
    return who


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段“{field}”",
    "extra_forbidden": "不允许的字段“{field}”（接口不接受未定义的字段）",
    "string_type": "应为字符串",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为布尔值",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "string_too_long": "超过最大长度",
    "string_too_short": "长度不足",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "json_invalid": "不是有效的 JSON",
}


def _field_name(loc: list[Any]) -> str:
    # ninja prefixes locations with the parameter source ("body", "query", "path") and the argument name.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "body", "filters", "params"}:
            parts = parts[1:]
    return ".".join(parts)


def validation_envelope(errors: list[dict[str, Any]]) -> dict[str, Any]:
    first = errors[0]
    field = _field_name(first.get("loc", []))
    return {
        "code": first.get("type", "invalid"),
        "message": _message(first),
        "field": field or None,
        "extra": {"errors": [{"field": _field_name(e.get("loc", [])), "code": e.get("type"), "message": _message(e)}
                             for e in errors]},
    }


def _message(error: dict[str, Any]) -> str:
    field = _field_name(error.get("loc", []))
    reason = _PYDANTIC_MESSAGES.get(error.get("type", ""), error.get("msg", "无效"))
    if "{field}" in reason:
        return reason.format(field=field)
    return f"字段“{field}”{reason}" if field else reason


def install_error_envelope(api: NinjaAPI) -> None:
    """Route every error raised under `api` through the one envelope."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, {k: v for k, v in body.items() if v is not None}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = respond(request, exc.as_envelope(), exc.status)
        for name, value in getattr(exc, "headers", {}).items():  # e.g. Retry-After of a delayed sign-in
            response[name] = value
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, validation_envelope(exc.errors), 400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, {"code": "unauthenticated", "message": "未登录，或令牌、密钥无效或已过期"}, 401)

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return respond(request, {"code": "forbidden", "message": "无权执行此操作"}, 403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, {"code": "not_found", "message": "记录不存在或无权访问"}, 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return respond(request, {"code": "malformed_json", "message": "请求体不是有效的 JSON"}, 400)
        codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 429: "throttled"}
        return respond(request, {"code": codes.get(exc.status_code, "http_error"), "message": str(exc)},
                       exc.status_code)
