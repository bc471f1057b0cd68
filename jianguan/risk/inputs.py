"""Input lines of the models: each field checked by the type its model declares, refused naming line and field.

A model's definition lists its fields (`definitions/<model>.json`, `fields`: type and whether required). An input
line is one JSON object; a field not listed is refused (like the API, unknown input is never ignored), a required
one must be there and not empty. Texts are at most `MAX_TEXT` characters: a page of 1 MB is no advertisement but a
dump, refused rather than scanned for minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jianguan.core.errors import ValidationFailed
from jianguan.core.inputs import loads

MAX_TEXT = 100_000
MAX_SHORT = 200
MAX_LINE = 8 * 1024 * 1024
TYPES = ("id", "text", "short", "bool", "count", "device_class", "time")


class InputInvalid(ValidationFailed):
    """An input line broke a rule; `line` and `field` name where."""

    def __init__(self, message: str, *, code: str, field: str | None = None, line: int | None = None) -> None:
        where = "，".join(part for part in (f"第 {line} 行" if line else "", f"字段 {field}" if field else "") if part)
        super().__init__(f"{where}：{message}" if where else message, code=code, field=field,
                         extra={"line": line} if line else None)
        self.detail = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str
    required: bool
    label: str


def _identifier(spec: Field, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise InputInvalid("编号应为非空字符串或整数", code="invalid_id", field=spec.name)
    if len(str(value)) > MAX_SHORT:
        raise InputInvalid(f"编号不得超过 {MAX_SHORT} 个字符", code="too_long", field=spec.name)
    return value


def _text(spec: Field, value: Any) -> Any:
    if not isinstance(value, str):
        raise InputInvalid(f"{spec.label}应为字符串", code="not_text", field=spec.name)
    if not value or value.isspace():
        raise InputInvalid(f"{spec.label}不能为空", code="required", field=spec.name)
    most = MAX_TEXT if spec.type == "text" else MAX_SHORT
    if len(value) > most:
        raise InputInvalid(f"{spec.label}超过 {most} 个字符（{len(value)} 个）", code="too_long", field=spec.name)
    return value


def _flag(spec: Field, value: Any) -> Any:
    if not isinstance(value, bool):
        raise InputInvalid(f"{spec.label}应为 true 或 false", code="not_bool", field=spec.name)
    return value


def _device_class(spec: Field, value: Any) -> Any:
    if isinstance(value, bool) or value not in (1, 2, 3):
        raise InputInvalid(f"{spec.label}应为 1、2 或 3", code="not_device_class", field=spec.name)
    return value


def _count(spec: Field, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise InputInvalid(f"{spec.label}应为非负整数", code="not_count", field=spec.name)
    return value


def _time(spec: Field, value: Any) -> Any:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputInvalid(f"{spec.label}应为带时区的 ISO 8601 时间，如 2026-12-01T10:00:00+08:00",
                           code="not_time", field=spec.name)
    return moment


# The value of one field by its type, or `InputInvalid` naming the rule it breaks (the line is added by the caller).
_CHECKS: dict[str, Callable[[Field, Any], Any]] = {
    "id": _identifier, "text": _text, "short": _text, "bool": _flag, "device_class": _device_class,
    "count": _count, "time": _time}


def record(fields: Mapping[str, Field], data: Any, *, extra: Mapping[str, Field] | None = None) -> dict[str, Any]:
    """One input object checked against a model's fields (and `extra`, such as a back-test's label)."""
    return Checker({**fields, **extra} if extra else fields)(data)


class Checker:
    """The check of `record` for one set of fields, prepared once: each field's rule looked up, and a string that is
    plainly valid for a text, short or id field (not empty, not only spaces, not too long) taken without a call."""

    __slots__ = ("known", "steps")

    def __init__(self, known: Mapping[str, Field]) -> None:
        self.known = dict(known)
        self.steps = tuple((name, spec, _MOST.get(spec.type, 0), _CHECKS[spec.type]) for name, spec in known.items())

    def __call__(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise InputInvalid("每行应为一个 JSON 对象", code="not_object")
        known = self.known
        if not data.keys() <= known.keys():
            for name in data:
                if name not in known:
                    raise InputInvalid(f"不是本模型的输入字段（可用：{'、'.join(known)}）", code="unknown_field",
                                       field=name)
        checked: dict[str, Any] = {}
        get = data.get
        for name, spec, most, check in self.steps:
            value = get(name)
            if value is None:
                if spec.required:
                    raise InputInvalid(f"缺少必填字段{spec.label}", code="required", field=name)
                continue
            if most and type(value) is str and value and len(value) <= most and not value.isspace():
                checked[name] = value  # what the field's check returns for it
            else:
                checked[name] = check(spec, value)
        return checked


# The most characters of a string taken as it is (`Checker`), by field type; other types are always checked.
_MOST = {"id": MAX_SHORT, "text": MAX_TEXT, "short": MAX_SHORT}


def lines(raw: bytes) -> Iterator[tuple[int, Any]]:
    """The JSON value of each non-blank line of a JSON Lines file, numbered from 1; `InputInvalid` naming the line
    for bytes that are not UTF-8 or not JSON, or JSON the input layer refuses (`core.inputs.loads`)."""
    for number, chunk in enumerate(raw.split(b"\n"), 1):
        if number == 1 and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        if not chunk.strip():
            continue
        if len(chunk) > MAX_LINE:
            raise InputInvalid(f"一行超过 {MAX_LINE // 1024 // 1024} MB", code="line_too_long", line=number)
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputInvalid(f"不是 UTF-8 编码（第 {error.start + 1} 字节起）", code="bad_encoding",
                               line=number) from error
        try:
            value = loads(text, label="该行")  # strict: no NUL, lone surrogate or number beyond 64 bits stored
        except ValidationFailed as error:
            if error.code == "malformed_json":
                raise InputInvalid(f"不是有效的 JSON（第 {error.extra.get('column')} 列）", code="invalid_json",
                                   line=number) from error
            raise InputInvalid(error.message, code=error.code, line=number) from error
        yield number, value


def fields_of(spec: Mapping[str, Any]) -> dict[str, Field]:
    """A definition's `fields` as `Field`s (types checked when the definition is loaded)."""
    return {name: Field(name, item["type"], bool(item.get("required")), item["label"]) for name, item in spec.items()}
