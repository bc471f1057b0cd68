"""A field inspection's stages as a table of the workflow kernel (`core.workflow`, ADR 0031).

A record is opened as a draft (on the page, or by a phone's first sync). While it is a draft its officers and
whoever opened it change it (on the page, `update`; from a phone, `sync`), add evidence and submit it; a submitted
record is never changed again. Others of its department only read it; a system actor (an intake, the seed) writes
as the record's own. Who may act is judged as the record is loaded, before its input is read (`refuse_reader`);
its state where the input allows: a phone's resend of what is stored is answered even once it was submitted.
Each step refused on a submitted record keeps its own refusal (a sync conflict carries the server's copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.workflow import Edge, Refusal, Workflow, loops

from .models import Status

WRITER = "writer"
EDGES = (
    *loops((Status.DRAFT,), "update", WRITER, "修改"),
    *loops((Status.DRAFT,), "sync", WRITER, "同步"),
    *loops((Status.DRAFT,), "add_evidence", WRITER, "添加证据", fields=("file", "sha256", "client_id")),
    Edge(Status.DRAFT, "submit", Status.SUBMITTED, WRITER, "提交"),
)


class SyncConflict(InvalidTransition):
    """The server's copy changed since the phone last saw it (or was already submitted): nothing is overwritten."""

    code = "sync_conflict"

    def __init__(self, inspection: Any, message: str) -> None:
        super().__init__(message)
        self.inspection = inspection


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    writer: bool  # one of its officers, whoever opened it, or a system actor
    record: Any = None  # the stored inspection, for a sync conflict


def _writer(edge: Edge, facts: Facts) -> Refusal | None:
    return None if facts.writer else AccessDenied("只有本次检查的检查人员可以修改检查记录", code="not_an_officer")


SUBMITTED = {
    "update": lambda record: SyncConflict(record, "检查记录已提交，不能再修改"),
    "sync": lambda record: SyncConflict(record, "服务器上的检查记录已提交，与本机的版本不同，未覆盖"),
    "add_evidence": lambda record: InvalidTransition("检查记录已提交，不能再添加证据", code="inspection_submitted"),
    "submit": lambda record: InvalidTransition("检查记录已提交", code="inspection_submitted"),
}


def _submitted(workflow: Workflow, facts: Facts, action: str) -> Refusal:
    return SUBMITTED[action](facts.record)


INSPECTIONS = Workflow(EDGES, who={WRITER: _writer}, state_label=lambda s: Status(s).label, out_of_order=_submitted)


def refuse_reader(action: str, facts: Facts) -> None:
    """Who may take `action`, judged as the record is loaded (AccessDenied `not_an_officer`)."""
    edge = INSPECTIONS.edge(Status.DRAFT, action)
    assert edge is not None, action
    refused = INSPECTIONS.permitted(edge, facts)
    if refused is not None:
        raise refused


def writing(inspection: Any, actor: Actor) -> Facts:
    """The facts of a record loaded for writing: the actor was found to write it (`refuse_reader`)."""
    return Facts(inspection.status, actor, True, inspection)
