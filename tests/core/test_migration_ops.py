"""The shared append-only migration operation: the statements it runs (databases have applied them already, so
they are pinned), and their effect on a table of its own on the database under test."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.writer import OperationWriter
from django.db.utils import DatabaseError

from jianguan.core.migration_ops import DELETE, UPDATE, AppendOnly, append_only

PROBE = "test_append_only_probe"


def test_postgresql_statements_are_the_ones_applied():
    op = append_only("audit_checkpoint", name="audit_checkpoint", what="audit checkpoints")
    assert op.forwards_sql("postgresql") == ["""
CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only (%)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();
"""]
    assert op.backwards_sql("postgresql") == ["""
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_append_only();
"""]


def test_sqlite_statements_are_the_ones_applied():
    op = append_only("audit_checkpoint", name="audit_checkpoint", what="audit checkpoints")
    assert op.forwards_sql("sqlite") == [
        "CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only (UPDATE)'); END",
        "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only (DELETE)'); END"]
    assert op.backwards_sql("sqlite") == ["DROP TRIGGER IF EXISTS audit_checkpoint_append_only",
                                          "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete"]


def test_a_migration_may_take_a_part_of_it():
    delete_on_sqlite = append_only("t", name="t", what="rows", postgresql=[], sqlite=[DELETE])
    assert delete_on_sqlite.forwards_sql("postgresql") == delete_on_sqlite.backwards_sql("postgresql") == []
    assert delete_on_sqlite.forwards_sql("sqlite") == [
        "CREATE TRIGGER t_no_delete BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'rows are append-only (DELETE)'); END"]
    update_on_sqlite = append_only("t", name="t", what="rows", sqlite=[UPDATE])
    assert update_on_sqlite.backwards_sql("sqlite") == ["DROP TRIGGER IF EXISTS t_append_only"]
    assert "BEFORE UPDATE OR DELETE ON t" in update_on_sqlite.forwards_sql("postgresql")[0]
    assert append_only("t", name="t", what="rows").forwards_sql("oracle") == []


def test_only_update_and_delete_are_refused_by_it():
    with pytest.raises(ValueError, match="TRUNCATE"):
        append_only("t", name="t", what="rows", sqlite=["TRUNCATE"])


def test_it_is_an_operation_a_migration_writer_can_write_again():
    op = append_only("t", name="t", what="rows", postgresql=[], sqlite=[DELETE])
    written, imports = OperationWriter(op).serialize()
    assert imports == {"import jianguan.core.migration_ops"}
    assert "jianguan.core.migration_ops.AppendOnly(" in written and "sqlite=['DELETE']" in written
    _, args, kwargs = op.deconstruct()
    assert AppendOnly(*args, **kwargs).forwards_sql("sqlite") == op.forwards_sql("sqlite")
    assert op.describe() == "Refuse DELETE on t"


def _run(sql: str, params=()) -> str | None:
    """None when the statement went through, else the database's message."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    return None


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.mark.django_db
def test_the_triggers_refuse_update_and_delete_and_lift_again():
    op = append_only(PROBE, name=PROBE, what="probes")
    _execute([f"CREATE TABLE {PROBE} (id integer PRIMARY KEY, note varchar(10))",
              f"INSERT INTO {PROBE} (id, note) VALUES (1, 'a')"])
    _execute(op.forwards_sql(connection.vendor))
    assert "probes are append-only (UPDATE)" in _run(f"UPDATE {PROBE} SET note = 'b' WHERE id = 1")
    assert "probes are append-only (DELETE)" in _run(f"DELETE FROM {PROBE} WHERE id = 1")
    assert _run(f"INSERT INTO {PROBE} (id, note) VALUES (2, 'c')") is None  # appending stays allowed
    _execute(op.backwards_sql(connection.vendor))
    assert _run(f"UPDATE {PROBE} SET note = 'b' WHERE id = 1") is None
    assert _run(f"DELETE FROM {PROBE} WHERE id = 1") is None
