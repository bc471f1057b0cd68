"""Migration operations the apps share: an append-only table, refused UPDATE and DELETE by the database itself.

`append_only(table, name=…, what=…)` is the one place that writes the triggers (ADR 0017, invariants 4 and 16):

- PostgreSQL: a function `<name>_append_only()` raising `<what> are append-only (UPDATE|DELETE)` and a row trigger
  `<name>_append_only` BEFORE UPDATE OR DELETE (TRUNCATE, used by test teardown, is left to table owners);
- SQLite: a trigger `<name>_append_only` aborting UPDATE and a trigger `<name>_no_delete` aborting DELETE with the
  same message (the SQLite test harness lifts the triggers around its flush, tests/conftest.py).

Older migrations took a part of this at a time (`postgresql=` / `sqlite=` name the statements a migration runs).
Databases have applied these statements already: the text a call produces must not change (tests pin it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.migrations.operations.base import Operation

UPDATE, DELETE = "UPDATE", "DELETE"
BOTH = (UPDATE, DELETE)


class AppendOnly(Operation):
    """Make `table` append-only on PostgreSQL and SQLite (nothing on other databases); reversible."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, *, name: str, what: str, postgresql: Iterable[str] = BOTH,
                 sqlite: Iterable[str] = BOTH) -> None:
        self.table, self.name, self.what = table, name, what
        self.postgresql, self.sqlite = _statements(postgresql), _statements(sqlite)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # triggers are no part of the model state

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for sql in self.forwards_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for sql in self.backwards_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Refuse {' and '.join(sorted(set(self.postgresql) | set(self.sqlite)))} on {self.table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.table}_append_only"

    def forwards_sql(self, vendor: str) -> list[str]:
        """The statements that make the table refuse the named operations on `vendor`."""
        if vendor == "postgresql" and self.postgresql:
            return [f"""
CREATE OR REPLACE FUNCTION {self.name}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{self.what} are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {self.name}_append_only BEFORE {" OR ".join(self.postgresql)} ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {self.name}_append_only();
"""]
        if vendor == "sqlite":
            return [f"CREATE TRIGGER {self._sqlite_trigger(op)} BEFORE {op} ON {self.table} "
                    f"BEGIN SELECT RAISE(ABORT, '{self.what} are append-only ({op})'); END" for op in self.sqlite]
        return []

    def backwards_sql(self, vendor: str) -> list[str]:
        """The statements that lift what `forwards_sql` put in place."""
        if vendor == "postgresql" and self.postgresql:
            return [f"""
DROP TRIGGER IF EXISTS {self.name}_append_only ON {self.table};
DROP FUNCTION IF EXISTS {self.name}_append_only();
"""]
        if vendor == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {self._sqlite_trigger(op)}" for op in self.sqlite]
        return []

    def _sqlite_trigger(self, op: str) -> str:
        return f"{self.name}_append_only" if op == UPDATE else f"{self.name}_no_delete"


def _statements(ops: Iterable[str]) -> tuple[str, ...]:
    ops = tuple(ops)
    unknown = set(ops) - set(BOTH)
    if unknown:
        raise ValueError(f"append_only refuses only UPDATE and DELETE, not {sorted(unknown)}")
    return tuple(op for op in BOTH if op in ops)  # UPDATE before DELETE, as the triggers were first written


def append_only(table: str, *, name: str, what: str, postgresql: Iterable[str] = BOTH,
                sqlite: Iterable[str] = BOTH) -> AppendOnly:
    """The migration operation that refuses UPDATE and DELETE of `table`'s rows: triggers named after `name`,
    raising "`what` are append-only (UPDATE|DELETE)". `postgresql` / `sqlite` narrow it to some operations (or
    none, `()`) on that database, for migrations that added one trigger at a time."""
    return AppendOnly(table, name=name, what=what, postgresql=postgresql, sqlite=sqlite)
