"""The input layer: the limits every request and every JSON value keeps before a view or service sees it.

One place decides what hostile input is refused, so that no endpoint meets it unprepared (ADR 0024):

- the body's size (`JIANGUAN_MAX_BODY_BYTES`, 413 `body_too_large`), checked on the declared length before the
  body is read, and Django's in-memory limit for forms and JSON turned into the same answer;
- multipart bodies that cannot be parsed (no boundary, broken parts: 400 `multipart_invalid`);
- NUL characters in query strings, forms and JSON strings (PostgreSQL cannot store them: 400 `invalid_character`);
- strict JSON (`loads`): no NaN or Infinity, no lone surrogates (400 `invalid_unicode`), nesting at most
  `JIANGUAN_MAX_JSON_DEPTH` levels (400 `json_too_deep`), numbers within the signed 64-bit range whatever their
  number of digits (400 `integer_out_of_range`), syntax errors with their line and column (400 `malformed_json`);
- integers of every API parameter and body field bounded to the signed 64-bit range (`bound_integers`), so that
  a 20-digit id is refused as input rather than overflowing the database.

Every refusal is a `DomainError`: an English `code`, a Chinese `message` and, where it is known, the `field`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any

import annotated_types
import orjson
from django.conf import settings
from pydantic import BaseModel

from .errors import DomainError, ValidationFailed

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Int64 = Annotated[int, annotated_types.Ge(INT64_MIN), annotated_types.Le(INT64_MAX)]


class BodyTooLarge(DomainError):
    """The request body is larger than the platform reads."""

    status = 413
    code = "body_too_large"


def max_body_bytes() -> int:
    """The largest request body read [config]: JIANGUAN_MAX_BODY_BYTES (default 65 MiB, a full exchange batch)."""
    return settings.JIANGUAN_MAX_BODY_BYTES


def max_json_depth() -> int:
    """The deepest nesting of arrays and objects accepted [config]: JIANGUAN_MAX_JSON_DEPTH (default 32)."""
    return settings.JIANGUAN_MAX_JSON_DEPTH


def body_too_large(size: int | None = None, limit: int | None = None) -> BodyTooLarge:
    limit = limit or max_body_bytes()
    return BodyTooLarge(f"请求体超过 {_size(limit)} 上限", extra={"limit": limit, **({"bytes": size} if size else {})})


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n:,} 字节"


# --- strict JSON ------------------------------------------------------------------------------------------------

def loads(data: bytes | str, *, label: str = "请求体") -> Any:
    """The JSON value of `data`, refused (ValidationFailed with a code, and the field where known) unless it keeps
    the rules above; `label` names the input in the messages."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _decode_error(exc, label) from None
    check(value, label=label, strings=_may_hold_nul(data))
    return value


def _may_hold_nul(data: bytes | str) -> bool:
    # A NUL can reach a decoded string only as the escape \u0000 (a raw control character is invalid JSON).
    return (b"\\u0000" in data) if isinstance(data, bytes) else ("\\u0000" in data)


def _decode_error(exc: orjson.JSONDecodeError, label: str) -> ValidationFailed:
    where = {"line": exc.lineno, "column": exc.colno, "position": exc.pos}
    reason = str(exc.msg)
    if "surrogate" in reason:
        return ValidationFailed(f"{label}含无效的 Unicode 字符（孤立的代理项，第 {exc.lineno} 行第 {exc.colno} 列）",
                                code="invalid_unicode", extra=where)
    if "depth" in reason:
        return ValidationFailed(f"{label}嵌套层数超过 {max_json_depth()} 层", code="json_too_deep",
                                extra={**where, "limit": max_json_depth()})
    if "infinity" in reason:
        return ValidationFailed(f"{label}中的数值超出范围（第 {exc.lineno} 行第 {exc.colno} 列）",
                                code="integer_out_of_range", extra=where)
    return ValidationFailed(f"{label}不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（字符位置 {exc.pos}）："
                            f"{reason}", code="malformed_json", extra=where)


def check(value: Any, *, label: str = "请求体", strings: bool = True) -> None:
    """Refuse a decoded JSON value nested deeper than the limit, holding a number outside the signed 64-bit range
    or (with `strings`) a string or key with a NUL character; the error names the path to the value."""
    limit = max_json_depth()
    if type(value) not in (dict, list):
        _leaf(value, (), label, strings)
        return
    stack: list[tuple[Any, int, tuple[Any, ...]]] = [(value, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        if depth > limit:
            raise ValidationFailed(f"{label}嵌套层数超过 {limit} 层", code="json_too_deep", field=_path(path) or None,
                                   extra={"limit": limit})
        pairs: Iterator[tuple[Any, Any]] = iter(node.items()) if type(node) is dict else enumerate(node)
        for key, item in pairs:
            kind = type(item)
            if kind is dict or kind is list:
                stack.append((item, depth + 1, (*path, key)))
            elif kind is int or kind is float or strings:
                _leaf(item, (*path, key), label, strings)
            if strings and type(key) is str and "\x00" in key:
                _leaf(key, (*path, key), label, strings)


def _leaf(item: Any, path: tuple[Any, ...], label: str, strings: bool) -> None:
    kind = type(item)
    if (kind is int and not INT64_MIN <= item <= INT64_MAX) or (kind is float and not -(2.0**63) < item < 2.0**63):
        raise ValidationFailed(f"字段“{_path(path)}”的数值超出范围（应在 ±9223372036854775807 以内）" if path else
                               f"{label}中的数值超出范围", code="integer_out_of_range", field=_path(path) or None)
    if strings and kind is str and "\x00" in item:
        raise invalid_character(_path(path), label)


def invalid_character(field: str, label: str = "请求体") -> ValidationFailed:
    where = f"字段“{field}”" if field else label
    return ValidationFailed(f"{where}含有不允许的空字符（NUL）", code="invalid_character", field=field or None)


def _path(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


# --- integers of the API's inputs -------------------------------------------------------------------------------

def bound_integers(models: typing.Iterable[type[BaseModel]]) -> None:
    """Bound every `int` of the given input models (and the models they hold) to the signed 64-bit range, in place:
    a path, query or body integer out of range is then refused by validation (400, field named)."""
    done: set[type[BaseModel]] = set()
    for model in models:
        _bound(model, done)


def _bound(model: type[BaseModel], done: set[type[BaseModel]]) -> None:
    if model in done:
        return
    done.add(model)
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            _bound(inner, done)
        field.annotation = _bounded(field.annotation)
    model.model_rebuild(force=True)  # also when only a model it holds changed


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _bounded(annotation: Any) -> Any:
    """`annotation` with each bare `int` in it (in lists, unions, optionals, dict values) bounded."""
    if annotation is int:
        return Int64
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if not args or origin is Annotated or origin is typing.Literal:
        return annotation
    new = tuple(_bounded(a) for a in args)
    if all(n is a for n, a in zip(new, args, strict=True)):
        return annotation
    if origin is typing.Union or origin is types.UnionType:
        return typing.Union[new]  # noqa: UP007 (built from a tuple of types)
    return origin[new] if len(new) > 1 else origin[new[0]]
