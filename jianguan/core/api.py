"""Shared pieces of the JSON API: the error envelope, strict input schemas, pagination.

Every error leaves the API as `{"code": str, "message": str, "field"?: str, "extra"?: {...}}` with the
status of its kind: 400 bad input, 401 not signed in, 403 not allowed, 404 not found (or out of scope),
409 invalid transition, 413 too large, 429 too many requests. Bodies are read by the strict JSON parser of the
input layer (`inputs.py`), and every integer parameter is bounded (`harden`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from pydantic import BaseModel, ConfigDict

from . import inputs
from .errors import DomainError, ValidationFailed

log = logging.getLogger("jianguan.api")

T = TypeVar("T")


class ChineseJSONRenderer(JSONRenderer):
    """JSON in UTF-8 without escaping Chinese characters."""

    json_dumps_params = {"ensure_ascii": False}


class StrictParser(Parser):
    """Request bodies through the input layer: size limit, strict JSON, depth, bounded numbers, no NUL."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            body = request.body
        except RequestDataTooBig:
            raise inputs.body_too_large(int(request.META.get("CONTENT_LENGTH") or 0) or None,
                                        settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from None
        return inputs.loads(body)


class JianguanAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document declares the errors every operation may answer with the envelope."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        envelope = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for status, what in COMMON_ERRORS.items():
                    if status == "401" and not operation.get("security"):
                        continue
                    responses.setdefault(status, {"description": what, **envelope})
        return schema


COMMON_ERRORS = {
    "400": "输入不符合规则（含请求体格式、数值范围、字符）bad input",
    "401": "未登录，或令牌、密钥无效 not signed in",
    "403": "无权执行此操作 not allowed",
    "404": "记录不存在或无权访问 not found",
    "413": "请求体过大 body too large",
    "429": "请求过于频繁 too many requests",
}


def input_models(api: NinjaAPI) -> Iterator[type[BaseModel]]:
    """The parameter and body models of every operation of `api`."""
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                yield from operation.models


def harden(api: NinjaAPI) -> None:
    """Bound every integer the operations of `api` take (path, query, body) to the signed 64-bit range."""
    inputs.bound_integers(input_models(api))


class InputSchema(Schema):
    """Base of every request body: unknown fields are refused (400), not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ScopedOut(Schema):
    """The base of the output of a record kept by a department within a region: `department` (its id),
    `department_name` and `region` (its code), for the fields of those names the output declares."""

    @staticmethod
    def resolve_department(obj: Any) -> int:
        return int(obj.department_id)

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return str(obj.department.name)

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return str(obj.region_id)


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


class PageQuery(Schema):
    """The page parameters of every list of the API, the base of its filter: `limit` (lowered to
    `JIANGUAN_API_PAGE_MAX`) and `offset`; `paginate(rows, filters)` reads them."""

    limit: int = 50
    offset: int = 0


OFFSET_MAX = 2**31 - 1  # far beyond any list, small enough that offset + limit fits every database's LIMIT


def page_bounds(limit: int, offset: int) -> tuple[int, int]:
    """`limit` and `offset` of a list checked: a limit below 1 or an offset below 0 or beyond `OFFSET_MAX` is
    refused naming the parameter; a limit above `JIANGUAN_API_PAGE_MAX` is lowered to it."""
    if limit < 1:
        raise ValidationFailed("参数“limit”应为不小于 1 的整数", code="limit_invalid", field="limit")
    if not 0 <= offset <= OFFSET_MAX:
        raise ValidationFailed(f"参数“offset”应在 0 到 {OFFSET_MAX} 之间", code="offset_invalid", field="offset")
    return min(limit, settings.JIANGUAN_API_PAGE_MAX), offset


def paginate(queryset: Any, query: PageQuery, *, count: int | None = None) -> dict[str, Any]:
    """The page of `queryset` that `query` asks for, with the total; `count`, when the caller knows it already,
    saves counting again."""
    limit, offset = page_bounds(query.limit, query.offset)
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
    "less_than_equal": "应不大于 {le}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "greater_than": "应大于 {gt}",
    "int_parsing_size": "数值位数过多",
    "int_from_float": "应为整数",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "finite_number": "应为有限的数值",
    "decimal_parsing": "应为数值",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "datetime_parsing": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "datetime_from_date_parsing": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "datetime_type": "应为日期时间（YYYY-MM-DDTHH:MM:SS）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "元素过多",
    "too_short": "元素不足",
    "uuid_parsing": "应为 UUID",
    "value_error": "取值无效",
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
    reason = str(_PYDANTIC_MESSAGES.get(error.get("type", ""), error.get("msg", "无效")))
    if "{" in reason:
        try:
            reason = reason.format(field=field, **(error.get("ctx") or {}))
        except (KeyError, IndexError, ValueError):
            reason = str(error.get("msg", "无效"))
        if error.get("type") == "missing" or error.get("type") == "extra_forbidden":
            return reason
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
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            response["Retry-After"] = str(retry_after)
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

    @api.exception_handler(MultiPartParserError)
    def multipart_invalid(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return respond(request, {"code": "multipart_invalid",
                                 "message": "multipart 请求体无法解析（缺少或错误的分隔符）"}, 400)

    @api.exception_handler(RequestDataTooBig)
    def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        error = inputs.body_too_large(None, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return respond(request, error.as_envelope(), error.status)

    @api.exception_handler(Exception)
    def internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A failure of the server, not of the input: logged with its traceback and signalled like Django's own
        500 (the test client re-raises it), answered in the envelope rather than as an HTML page."""
        log.error("API %s %s failed", request.method, request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return respond(request, {"code": "internal_error", "message": "服务器内部错误，已记录，请稍后重试"}, 500)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DomainError):  # the strict parser refused the body
            return respond(request, exc.__cause__.as_envelope(), exc.__cause__.status)
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return respond(request, {"code": "malformed_json", "message": "请求体不是有效的 JSON"}, 400)
        codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 429: "throttled"}
        return respond(request, {"code": codes.get(exc.status_code, "http_error"), "message": str(exc)},
                       exc.status_code)
