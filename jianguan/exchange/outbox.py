"""The outbox: what an intake queues for the province (catalog.md §7). `Layout` gives, compiled once per standard
and table, each checked record as it is pushed — and, in the same pass, as the values of its library row
(`store.py`); `queue_items` inserts the outbox entries of the applied records in the intake's transaction. Forming,
sending and acknowledging batches: `push.py`; the platform's own records: `collect.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, models
from django.utils import timezone

from jianguan.core.bulk import bulk_insert

from .models import ExchangeCall, Op, OutboxRecord, OutboxStatus
from .records import Item, Sender, issue
from .standards import values as v


class Layout:
    """How checked records of one standard become rows of one library table and records to push, compiled once:
    per field id, the value pushed (lists as lists, yes/no as booleans, dictionary labels as codes, dates as
    YYYY-MM-DD) and the value stored (dates, amounts, …), and the columns of a bulk insert."""

    SKIP = frozenset({"record_id", "version", "source", "raw", "source_system", "withdrawn_at", "created_at",
                      "updated_at"})

    def __init__(self, std: Any, model: type[models.Model]) -> None:
        self.model = model
        fields = {f.name: f for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key}
        self.plan: dict[str, tuple[Any, bool, int | None, str]] = {}
        for f in std.fields:
            model_field = fields.get(f.id) if f.id not in self.SKIP else None
            limit = getattr(model_field, "max_length", None) if model_field is not None and f.type == "str" else None
            if isinstance(model_field, models.DecimalField):  # the largest amount the column holds
                limit = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
            title = str(model_field.verbose_name) if model_field is not None else f.title
            to_code = std.field_rules[f.id]["to_code"]
            # A plain text field without dictionary is converted inline (most fields of a record).
            convert = None if f.type == "str" and not to_code else self._converter(f, to_code)
            self.plan[f.id] = (convert, model_field is not None, limit, title)
        # An optional field left empty is stored as the column's empty value: NULL where the column allows it,
        # else its default ("" for text, [] for lists) — never NULL in a NOT NULL column.
        self.empty = {name: None if f.null else f.get_default() for name, f in fields.items()}
        concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = tuple(f.column for f in concrete)
        self.attnames = tuple(f.attname for f in concrete)
        self.defaults = {f.attname: None if f.null else f.get_default() for f in concrete}
        self.json = frozenset(f.attname for f in concrete if isinstance(f, models.JSONField))
        self.moments = frozenset(f.attname for f in concrete if isinstance(f, models.DateTimeField))

    @staticmethod
    def _converter(f: Any, to_code: dict[str, str]):
        """value -> (value pushed, value stored)."""
        if f.type == "list":
            def items(value):
                found = [to_code.get(x, x) for x in (v.as_items(value) or [])] if to_code else v.as_items(value) or []
                return found, found
            return items
        if f.type == "bool":
            def flag(value):
                found = v.as_bool(value)
                return found, bool(found)
            return flag
        if f.type == "date":
            return _day
        if f.type == "datetime":
            return lambda value: (v.as_text(value), _moment(value))
        if f.type == "decimal":
            return lambda value: (v.as_text(value), _amount(value))
        if f.type == "int":
            return lambda value: (v.as_text(value), int(v.as_text(value) or 0))

        def text(value):
            found = value if type(value) is str else v.as_text(value)
            found = found.strip() if found is not None else str(value)
            if to_code:
                found = to_code.get(found, found)
            return found, found

        return text

    @staticmethod
    def _plain(value: Any) -> tuple[str, str]:
        found = v.as_text(value)
        found = found.strip() if found is not None else str(value)
        return found, found

    def row(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, str]]]:
        """(model values, the record to push, problems of values the table cannot hold)."""
        values: dict[str, Any] = {}
        pushed: dict[str, Any] = {}
        problems: list[dict[str, str]] = []
        plan, empty = self.plan, self.empty
        for field_id, value in data.items():
            found = plan.get(field_id)
            if found is None:
                continue
            convert, stored, limit, title = found
            if value is None or value == "" or value == []:
                if stored:
                    values[field_id] = empty[field_id]
                continue
            if convert is None and type(value) is str:
                clean = converted = value.strip()
            else:
                clean, converted = (convert or self._plain)(value)
            pushed[field_id] = clean
            if stored:
                if limit and isinstance(converted, Decimal):
                    if abs(converted) >= limit:
                        problems.append(issue(field_id, "too_large", f"“{title}”超过本平台库字段范围（应小于 {limit}）",
                                              "accuracy"))
                        continue
                elif limit and len(converted) > limit:
                    problems.append(issue(field_id, "too_long", f"“{title}”超过本平台库字段长度 {limit}"))
                    continue
                values[field_id] = converted
        return values, pushed, problems

    def tuples(self, rows: list[dict[str, Any]]):
        """Insert rows in column order: defaults for what a row leaves out, JSON as text, moments adapted."""
        adapt = connection.ops.adapt_datetimefield_value
        position = {name: i for i, name in enumerate(self.attnames)}
        base = [self.defaults[name] for name in self.attnames]
        json_at = [position[name] for name in self.json]
        moments_at = [position[name] for name in self.moments]
        adapted: dict[Any, Any] = {}
        dumps = json.dumps
        for row in rows:
            out = base.copy()
            for name, value in row.items():
                out[position[name]] = value
            for i in json_at:
                if out[i] is not None:
                    out[i] = dumps(out[i], ensure_ascii=False, default=str)
            for i in moments_at:
                moment = out[i]
                if moment is not None:
                    if moment not in adapted:
                        adapted[moment] = adapt(moment)
                    out[i] = adapted[moment]
            yield out


_DAYS: dict[str, dt.date | None] = {}


def _day(value: Any) -> tuple[str | None, dt.date | None]:
    text = v.as_text(value) or ""
    if text not in _DAYS:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        _DAYS[text] = v.parse_date(text)
    day = _DAYS[text]
    return (day.isoformat() if day else text), day


_MOMENTS: dict[str, dt.datetime | None] = {}


def _moment(value: Any) -> dt.datetime | None:
    """A date-time text as an aware datetime (local time when it names no offset); remembered per text."""
    text = v.as_text(value) or ""
    found = _MOMENTS.get(text, False)
    if found is not False:
        return found
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) > 10 else \
            dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        found = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    except ValueError:
        found = None
    if len(_MOMENTS) > 100_000:
        _MOMENTS.clear()
    _MOMENTS[text] = found
    return found


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(v.as_text(value) or "").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


_layouts: dict[tuple[str, str], Layout] = {}


def layout_of(std: Any, model: type[models.Model]) -> Layout:
    key = (std.name, model._meta.label)
    if key not in _layouts or _layouts[key].model is not model:
        _layouts[key] = Layout(std, model)
    return _layouts[key]


OUTBOX_COLUMNS = ("standard", "record_id", "version", "op", "data", "department_id", "region_id", "source_system",
                  "call_id", "batch_id", "status", "created_at", "done_at")


def queue_items(std: Any, items: list[Item], sender: Sender, call: ExchangeCall) -> int:
    """Bulk-insert the outbox entries of the applied records (in the intake's transaction)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ((std.name, i.record_id, i.version, i.op,
             "{}" if i.op == Op.DELETE else json.dumps(i.pushed, ensure_ascii=False),
             i.department_id, i.region_id, sender.source_system, call.pk, None, OutboxStatus.PENDING, now, None)
            for i in items)
    return bulk_insert(OutboxRecord, OUTBOX_COLUMNS, rows)
