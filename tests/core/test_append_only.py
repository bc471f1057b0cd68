"""The database itself refuses UPDATE and DELETE on every append-only table, on SQLite as on PostgreSQL: audit
events and checkpoints, a case's events, issued documents and their rendered PDFs, a draw's frozen inputs, the rows
of a register file, the credit-repair scheme versions, the publications ended early by a repair and the steps taken
on a disclosure item."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from jianguan.audit.services import checkpoint_make
from jianguan.core.actors import SystemActor
from jianguan.credit.repair import repair_act
from jianguan.risk.register_imports import register_import
from jianguan.spotchecks import drawing
from tests.credit.world import entities, repair_application
from tests.enforcement_fixtures import filed, world_fixture  # noqa: F401
from tests.spotcheck_fixtures import MOMENT, _witness

pytestmark = pytest.mark.django_db

TABLES = ["audit_auditevent", "audit_checkpoint", "enforcement_caseevent", "documents_issueddocument",
          "documents_rendereddocument", "spotchecks_drawinput", "risk_registerentry", "credit_repairpolicy",
          "credit_publicationend", "disclosure_disclosurestep"]


def _a_row(table: str, request) -> int:
    """A row of `table`, made by the services that write it."""
    if table == "audit_checkpoint":
        checkpoint_make(actor=SystemActor("test"))
    elif table in ("enforcement_caseevent", "documents_issueddocument", "documents_rendereddocument"):
        filed(request.getfixturevalue("world"))  # its steps append events and issue documents
    elif table == "spotchecks_drawinput":
        task = request.getfixturevalue("food_task")
        drawing.draw_commit(actor=request.getfixturevalue("persona")("scjg_admin"), task_id=task.pk,
                            beacon=_witness(), now=MOMENT)
    elif table == "risk_registerentry":
        data = "广告审查证明文号,广告主,有效期至\n鄂医广第1号,某医院,2027-01-01".encode()
        register_import(actor=request.getfixturevalue("persona")("dataadmin"), kind="ad_review", source="卫健委",
                        file_name="审查.csv", data=data)
    elif table in ("credit_repairpolicy", "credit_publicationend"):
        made = repair_application(entities(1, offset=80)[0])
        repair_act(actor=request.getfixturevalue("persona")("scjg_officer"), application_id=made.pk, action="accept")
        repair_act(actor=request.getfixturevalue("persona")("scjg_head"), application_id=made.pk, action="approve",
                   reasons="已履行")
    elif table == "disclosure_disclosurestep":
        _a_disclosure_step(request.getfixturevalue("persona")("scjg_officer"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    assert row is not None, f"the seeded test database has rows in {table}"
    return row[0]


def _a_disclosure_step(officer) -> None:
    from jianguan.disclosure import services, sweep
    from jianguan.disclosure.models import DisclosureItem
    from tests.credit.world import penalty

    made = penalty(entities(1, offset=81)[0])
    sweep.items_make()
    item = DisclosureItem.objects.get(source_kind="penalty", source_id=made.pk)
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=officer)


def _refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


@pytest.mark.parametrize("table", TABLES)
def test_update_is_refused(table, request):
    pk = _a_row(table, request)
    assert _refused(f"UPDATE {table} SET id = id WHERE id = %s", [pk])


@pytest.mark.parametrize("table", TABLES)
def test_delete_is_refused(table, request):
    pk = _a_row(table, request)
    assert _refused(f"DELETE FROM {table} WHERE id = %s", [pk])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [pk])
        assert cursor.fetchone()[0] == 1
