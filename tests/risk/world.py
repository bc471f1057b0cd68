"""The world of the risk tests: a monitoring system of the city 市场监管局 (scope `risk:write`), items it sends
(an ad that alerts, a plain ad, a listing) and helpers that post a batch and raise alerts."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client

from jianguan.core.actors import SystemActor
from jianguan.risk import alerts, intake
from jianguan.risk.models import Alert
from tests.exchange_fixtures import system_client

SCAN = SystemActor("test:risk")
SNAPSHOT = "a" * 64
_serial = itertools.count(1)
CLAIM = "咸宁某医院专治牛皮癣，三个月根治不反弹！"


def ad(sender_id: str | None = None, **over: Any) -> dict[str, Any]:
    """A medical ad that alerts (a cure claim), captured on 2026-12-01."""
    return {"id": sender_id or f"AD-{next(_serial)}", "model": "medical_ad", "kind": "ad",
            "captured_at": "2026-12-01T10:00:00+08:00", "snapshot_hash": SNAPSHOT,
            "url": "https://example.cn/ad/1", "text": CLAIM, "channel": "网站", **over}


def listing(sender_id: str | None = None, **over: Any) -> dict[str, Any]:
    """A listing of a drug on the ban list, by seller 店铺A001."""
    return {"id": sender_id or f"LS-{next(_serial)}", "model": "drug_sales", "kind": "listing",
            "captured_at": "2026-12-02T09:30:00+08:00", "snapshot_hash": SNAPSHOT, "seller": "店铺A001",
            "platform": "某电商平台", "product_name": "华法林钠片", "registration_number": "国药准字H20000001",
            "text": "华法林钠片 2.5mg*60片 包邮", **over}


def post(client: Client, *items: dict[str, Any]):
    return client.post("/api/v1/risk/observations", {"items": list(items)}, content_type="application/json")


def raise_alerts(actor: Any, *items: dict[str, Any]) -> list[Alert]:
    """Store `items` as sent by `actor` and judge them; the alerts of the items, in order."""
    received = intake.observations_receive(actor=actor, items=list(items))
    alerts.observations_scan(actor=SCAN)
    return [Alert.objects.get(observations=o) for o in received.stored if o.alerts.exists()]


@pytest.fixture
def monitor(persona):
    """(a test client holding a `risk:write` key of the city 市场监管局's monitoring system, the ApiClient)."""
    return system_client(persona, scopes=("risk:write",), name="互联网广告监测系统")
