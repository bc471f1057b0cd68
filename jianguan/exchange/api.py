"""`/api/v1/exchange/…`: departments' systems report records by exchange standard.

`POST /exchange/{standard}/records` takes a JSON array of records (at most `JIANGUAN_EXCHANGE_MAX_RECORDS`, 10,000)
from a system whose key holds `exchange:write`. The body is read as bytes (not through a schema) so that it is kept
exactly as received and a malformed body is answered with the position of the fault.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import AuthorizationError

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, principal
from jianguan.core.roles import ApiScope

from . import intake

router = Router(tags=["数据交换 exchange"])


class IssueOut(Schema):
    field: str
    code: str
    message: str


class RejectedOut(Schema):
    index: int
    record_id: str
    errors: list[IssueOut]


class IntakeOut(Schema):
    call_id: int
    standard: str
    received: int
    accepted: int
    duplicates: int
    duplicate_indexes: list[int]
    rejected: list[RejectedOut]
    stored: bool
    note: str = ""


def _sender(request: HttpRequest):
    """A system holding `exchange:write` (people upload files on the work portal instead)."""
    who = principal(request)
    if getattr(who, "is_person", True) or ApiScope.EXCHANGE_WRITE not in getattr(who, "scopes", ()):
        raise AuthorizationError()
    return who


def _body(request: HttpRequest) -> tuple[bytes, int]:
    """The request body, read in pieces up to the byte limit; (bytes read, declared or counted length)."""
    limit = intake.max_bytes()
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit:
        return b"", declared
    chunks, size = [], 0
    while True:
        chunk = request.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            return b"", size
        chunks.append(chunk)
    return b"".join(chunks), size


@router.post("/exchange/{standard}/records", auth=allow(systems=ApiScope.EXCHANGE_WRITE),
             response={200: IntakeOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut})
def records_receive(request: HttpRequest, standard: str):
    """Check every record of the array against the standard and store those that pass (`op` i/u/d, `version`);
    the answer lists, by index, the records refused with their problems and the duplicates. The call is kept
    whatever its outcome; refused records wait in the sending department's repair queue."""
    sender = _sender(request)
    body, size = _body(request)
    outcome = intake.exchange_receive(actor=sender, standard=standard, body=body, size=size)
    return HttpResponse(outcome.to_json(), content_type="application/json; charset=utf-8")
