"""Benchmarks stored as versions (ADR 0060): checked whole, stored once, audited; the version in force by line and
day; the command and the import refuse bad files with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.discretion import benchmark as bm
from jianguan.discretion import contracts, selectors, services
from jianguan.discretion.models import Benchmark
from tests.discretion.world import ARTICLE, band, definition, with_bands
from tests.library_fixtures import PENALTY

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("test")


def store(data=None, name: str = "t.json") -> Benchmark:
    return services.benchmark_store(actor=ACTOR, file_name=name, definition=data or definition())


def test_a_benchmark_is_stored_once_and_audited():
    stored = store()
    assert store().pk == stored.pk
    assert Benchmark.objects.filter(name="scjg-test").count() == 1
    event = AuditEvent.objects.filter(verb="discretion.benchmark_loaded", payload__name="scjg-test").get()
    assert event.payload["version"] == "1" and event.payload["violations"] == 1


def test_a_changed_file_under_the_same_version_is_refused():
    store()
    changed = definition(title="改过的名称")
    with pytest.raises(ValidationFailed) as error:
        store(changed)
    assert error.value.code == "benchmark_version_changed"
    assert Benchmark.objects.get(name="scjg-test").title == "测试裁量基准"


def test_a_bad_file_writes_nothing():
    with pytest.raises(bm.BenchmarkInvalid) as error:
        store(with_bands(band("general", "0", "100"), band("heavier", "200", "300")))
    assert error.value.code == "band_gap"
    assert not Benchmark.objects.filter(name="scjg-test").exists()
    assert not AuditEvent.objects.filter(verb__startswith="discretion", payload__name="scjg-test").exists()


@pytest.mark.parametrize(("data", "code"), [(b"{not json", "benchmark_json_invalid"),
                                            ("名".encode("gbk"), "benchmark_json_invalid"),
                                            (b" " * (services.MAX_BYTES + 1), "file_too_large")])
def test_the_import_refuses_bytes_that_are_no_benchmark(data, code):
    with pytest.raises(bm.BenchmarkInvalid) as error:
        services.benchmark_import(actor=ACTOR, file_name="x.json", data=data)
    assert error.value.code == code
    assert not Benchmark.objects.filter(name="scjg-test").exists()


def test_the_version_in_force_follows_the_day():
    store()
    store(definition(version="2", effective_from="2026-07-01", title="新版"))
    assert selectors.in_force(line="scjg", on=dt.date(2026, 6, 30)).version == "1"
    assert selectors.in_force(line="scjg", on=dt.date(2026, 7, 1)).version == "2"
    assert selectors.in_force(line="scjg", on=dt.date(2023, 12, 31)) is None
    assert selectors.in_force(line="sthj", on=dt.date(2026, 7, 1)) is None


def judge(amount: str | None, ticked=(), reason: str = ""):
    return contracts.judge(line="scjg", catalog_code=PENALTY, implementation_codes=[], basis=ARTICLE + "第五项",
                           ticked=ticked, amount=Decimal(amount) if amount else None, reason=reason,
                           on=dt.date(2026, 6, 1))


def test_a_fine_outside_the_band_needs_a_written_reason():
    store()
    assert judge("70000").band == "general"
    with pytest.raises(ValidationFailed) as error:
        judge("5000")
    assert error.value.code == "amount_outside_band" and error.value.field == "fine"
    assert error.value.extra == {"band": "general", "low": "65000", "high": "85000"}
    with pytest.raises(ValidationFailed):
        judge("5000", reason="太短")
    assert judge("5000", reason="当事人系残疾人个体户，经济确有困难").band == "general"
    assert judge("5000", ticked=["reduce_harm"]).band == "reduced"


def test_no_penalty_circumstances_refuse_any_fine_without_a_reason():
    store()
    assert judge(None, ticked=["first_minor"]).band == "none"
    with pytest.raises(ValidationFailed) as error:
        judge("100", ticked=["first_minor"])
    assert error.value.code == "amount_outside_band"


def test_an_unknown_circumstance_is_refused():
    store()
    with pytest.raises(ValidationFailed) as error:
        judge("70000", ticked=["made_up"])
    assert error.value.code == "circumstance_unknown"


def test_no_benchmark_no_judgement():
    assert judge("5000") is None


def test_the_command_loads_the_shipped_files_and_refuses_a_bad_one(tmp_path, capsys):
    call_command("discretion", "load")
    assert Benchmark.objects.filter(name="scjg").exists()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(with_bands(band("general", "0", "100"), band("heavier", "50", "300"))))
    with pytest.raises(CommandError, match="band_overlap"):
        call_command("discretion", "load", str(bad))
    call_command("discretion", "list")
    assert "scjg-2026.1" in capsys.readouterr().out
