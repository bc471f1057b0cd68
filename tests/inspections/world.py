"""The world of the inspection tests: the city 市场监管局, its officer, a colleague with a valid 执法证 and one
whose expired, and helpers that open and complete an inspection and upload evidence."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.catalog.models import Implementation
from jianguan.inspections import drafts, opening
from jianguan.inspections.models import FieldInspection
from tests.catalog_fixtures import FOOD
from tests.library_fixtures import SYSTEM

ITEMS = ["生产环境", "进货查验", "出厂检验"]  # the claim's 检查内容（日常） in catalog_fixtures

def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), "white")
    image.putpixel((3, 3), (0, 0, 0))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """The PDF's text with spaces and line breaks removed (lines wrap where the layout wants)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(done.stdout.decode().split())


def _officer(department: Department, username: str, name: str, number: str, valid_to: dt.date) -> User:
    user = accounts.user_create(actor=SYSTEM, username=username, full_name=name, department=department,
                                password_hash="!", roles=["officer"])
    accounts.credential_add(actor=SYSTEM, user=user, number=number, issued_by="咸宁市人民政府",
                            valid_from=dt.date(2024, 1, 1), valid_to=valid_to, domains=["市场监管"],
                            qualifications=["食品"])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(small_catalog, persona, xianan_entity):
    """The city 市场监管局, its officer 张伟 (persona), a colleague with a valid 执法证 and one whose expired."""
    city = Department.objects.select_related("region").get(kind=DepartmentKind.SCJG, region_id="421200")
    return {
        "city": city, "officer": persona("scjg_officer"), "entity": xianan_entity,
        "colleague": _officer(city, "insp_colleague", "李强", "42120088800001", dt.date(2029, 12, 31)),
        "expired": _officer(city, "insp_expired", "赵敏", "42120088800002", dt.date(2025, 1, 31)),
        "code": Implementation.objects.get(item__code=FOOD, body=city).code,
    }


def _times() -> tuple[dt.datetime, dt.datetime]:
    end = timezone.now() - dt.timedelta(minutes=30)
    return end - dt.timedelta(hours=1), end


def opened(world, **extra) -> FieldInspection:
    start, _ = _times()
    values = {"origin_kind": "routine", "implementation_code": world["code"],
              "party": {"kind": "entity", "uscc": world["entity"].uscc},
              "officers": [world["officer"].username, world["colleague"].username], "started_at": start, **extra}
    return opening.inspection_open(actor=world["officer"], **values)


def answers(failed: str = "", note: str = "") -> list[dict[str, str]]:
    return [{"item": item, "answer": "fail" if item == failed else "pass", "note": note if item == failed else ""}
            for item in ITEMS]


def completed(world, inspection: FieldInspection, **values) -> FieldInspection:
    start, end = _times()
    base = {"place": world["entity"].registered_address, "started_at": start, "ended_at": end,
            "checklist": answers(), "signature_png": base64.b64encode(png()).decode(), "outcome": "no_problem",
            "location": {"latitude": "29.8415", "longitude": "114.3223", "accuracy": "15"}}
    return drafts.inspection_update(actor=world["officer"], inspection_id=inspection.pk,
                                      base_version=inspection.version, values={**base, **values})


def body(world, client_id: str, **extra) -> dict:
    start, end = _times()
    return {"client_id": client_id, "base_version": 0, "origin_kind": "routine", "implementation_code": world["code"],
            "party": {"kind": "entity", "uscc": world["entity"].uscc}, "place": "经营场所",
            "officers": [world["officer"].username, world["colleague"].username],
            "started_at": start.isoformat(), "ended_at": end.isoformat(),
            "location": {"latitude": 29.841512, "longitude": 114.322301, "accuracy": 8.5},
            "checklist": [{"item": item, "answer": "pass", "note": ""} for item in ITEMS],
            "signature_png": "data:image/png;base64," + base64.b64encode(png()).decode(),
            "outcome": "no_problem", **extra}


def _upload(client, inspection_id: int, data: bytes, *, client_id: str | None = None, sha256: str | None = None,
            name: str = "photo.jpg"):
    return client.post(f"/api/v1/inspections/{inspection_id}/evidence", {
        "client_id": client_id or str(uuid.uuid4()), "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})

