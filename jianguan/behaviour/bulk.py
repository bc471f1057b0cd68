"""Reading and writing behaviour records in bulk, for records that arrive by the ten thousand (the exchange's
intake): the look-up of stored rows by a text key in slices of plain SQL, and the writes of new rows, withdrawals
and whole-row replacements. The caller has checked every value; these functions only store them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from jianguan.core.bulk import bulk_insert, slices


def rows_by_key(model: type[models.Model], columns: tuple[str, ...], key: str,
                values: list[str]) -> list[tuple[Any, ...]]:
    """Rows of `model` (columns in the order asked) whose `key` column is one of `values` (text keys), in slices of
    plain SQL: building the ORM's IN clause value by value costs more than the query for ten thousand keys."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for chunk in slices(values):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {table} "  # noqa: S608 (names from _meta)
                           f"WHERE {quote(key)} IN ({marks})", list(chunk))
            found += cursor.fetchall()
    return found


def rows_write(model: type[models.Model], *, now: dt.datetime, columns: tuple[str, ...],
               new: Iterable[tuple[Any, ...]], withdrawn: Sequence[dict[str, Any]],
               replaced: Sequence[dict[str, Any]]) -> None:
    """Insert `new` (tuples in `columns` order), mark `withdrawn` rows (pk, version, withdrawn_at) and replace
    `replaced` rows whole: a field a new version leaves out becomes empty (NULL, else the field's default)."""
    rows = list(new)
    if rows:
        bulk_insert(model, columns, rows)
    for row in withdrawn:
        model._base_manager.filter(pk=row["pk"]).update(version=row["version"], withdrawn_at=row["withdrawn_at"],
                                                        updated_at=now)
    if not replaced:
        return
    kinds = {f.attname: f for f in model._meta.concrete_fields
             if not f.primary_key and f.name not in ("record_id", "created_at", "updated_at")}
    objects = []
    for row in replaced:
        obj = model(pk=row["pk"], updated_at=now)
        for name, field in kinds.items():
            setattr(obj, name, row[name] if name in row else None if field.null else field.get_default())
        objects.append(obj)
    model._base_manager.bulk_update(objects, [f.name for f in kinds.values()] + ["updated_at"], batch_size=500)
