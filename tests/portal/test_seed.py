"""The demo data: deterministic for a seed, valid codes, every persona present."""

from __future__ import annotations

import datetime as dt
import io

import polib
import pytest
from django.conf import settings

from jianguan.accounts.models import Department, DepartmentKind, Region, User
from jianguan.accounts.seed import PERSONAS
from jianguan.core.codes import uscc_error, uscc_org_code_warning
from jianguan.core.seeding import SeedContext
from jianguan.subjects import seed as subjects_seed
from jianguan.subjects.models import Industry, MarketEntity
from tests.enforcement_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _rows(seed: int, n: int = 300) -> list[tuple]:
    ctx = SeedContext(scale="test", seed=seed, stdout=io.StringIO(), progress_enabled=False)
    return [row[:12] for row in subjects_seed.generate(ctx, n)]  # without the timestamps


def test_same_seed_same_entities_other_seed_other_entities():
    assert _rows(11) == _rows(11)
    assert [r[1] for r in _rows(11)] != [r[1] for r in _rows(12)]


def test_generated_entities_are_valid():
    regions = dict(Region.objects.values_list("code", "gb2260"))
    industries = set(Industry.objects.values_list("code", flat=True))
    rows = _rows(5, 2000)
    assert len({r[0] for r in rows}) == len(rows)
    for uscc, name, _type, _kind, person, address, region, industry, *_ in rows:
        assert uscc_error(uscc) is None and not uscc_org_code_warning(uscc)
        assert region in regions and industry in industries
        assert uscc[2:8] == regions[region]  # registered in the county (GB/T 2260) of its township
        assert name and 2 <= len(person) <= 4 and address.startswith("湖北省咸宁市")
    types = {r[2] for r in rows}
    assert {"enterprise", "individual"} <= types


def test_the_seeded_database():
    assert MarketEntity.objects.count() == 400
    assert not [e.uscc for e in MarketEntity.objects.all() if uscc_error(e.uscc)]
    for persona in PERSONAS:
        user = User.objects.get(username=persona.username)
        assert user.has_role(persona.role) and user.check_password(settings.JIANGUAN_DEMO_PASSWORD)
    assert User.objects.get(username="xa_scjg_officer").department.region.name == "咸安区"
    assert all(uscc_error(code) is None for code in Department.objects.values_list("uscc", flat=True))


def test_organisation_of_the_default_locality():
    city = Region.objects.get(code="421200")
    counties = set(city.children.values_list("name", flat=True))
    assert counties == {"咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市", "咸宁高新区"}
    assert Region.objects.filter(level=5, code__startswith="421202").count() == 16
    required = {DepartmentKind.SCJG, DepartmentKind.ZRZY, DepartmentKind.STHJ, DepartmentKind.JTYS, DepartmentKind.WHLY,
                DepartmentKind.WJW, DepartmentKind.YJ, DepartmentKind.GA, DepartmentKind.ZJ, DepartmentKind.CGZF,
                DepartmentKind.NYNC, DepartmentKind.YB, DepartmentKind.JR, DepartmentKind.SJJ, DepartmentKind.FGW,
                DepartmentKind.SF, DepartmentKind.WBB}
    assert required <= set(Department.objects.filter(region=city).values_list("kind", flat=True))
    xianan = Department.objects.get(region_id="421202", kind=DepartmentKind.SCJG)
    assert xianan.parent == Department.objects.get(region=city, kind=DepartmentKind.SCJG)
    assert Department.objects.get(region_id="421202", kind=DepartmentKind.STHJ).name == "咸宁市生态环境局咸安分局"
    assert Department.objects.filter(region_id="421202570", kind=DepartmentKind.SCJG).exists()


def test_english_catalog_is_complete_and_compiled():
    catalog = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES"
    po = polib.pofile(str(catalog / "django.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    mo = polib.mofile(str(catalog / "django.mo"))
    assert {e.msgid: e.msgstr for e in po if not e.msgid_plural} == {
        e.msgid: e.msgstr for e in mo if e.msgid and not e.msgid_plural}


def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_seed_stores_chinese_names_whatever_language_is_active(monkeypatch):
    """A thread that last served an English page must not seed English department names."""
    from django.core.management import call_command
    from django.utils import translation

    from jianguan.accounts.models import DepartmentKind
    from jianguan.core.registry import SeedStep
    from jianguan.portal.management.commands import seed as command

    seen = []
    monkeypatch.setattr(command, "seed_steps", lambda: [SeedStep("probe", 0, lambda ctx: seen.append(
        str(DepartmentKind.SCJG.label)))])
    monkeypatch.setattr(Region.objects, "exists", lambda: False)
    with translation.override("en"):
        call_command("seed", scale="test", no_progress=True, stdout=io.StringIO())
    assert seen == ["市场监督管理局"]
    assert not Department.objects.filter(name__contains="Administration").exists()


# The consistency command over the whole database (issue 14, item 9).

def test_the_consistency_check_passes_on_the_seeded_database():
    """The session's database is seeded with `seed --scale test`: consistent in every respect checked."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("consistency", stdout=out)
    assert out.getvalue().startswith("OK：6 类检查均通过")


def test_the_consistency_check_names_each_problem_of_a_broken_copy(world, api):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from jianguan.enforcement.evidence import evidence_path
    from jianguan.enforcement.models import Case
    from tests.enforcement_fixtures import filed

    case = filed(world)
    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
    digest = hashlib.sha256(png).hexdigest()
    response = api(world.officer).post(f"/api/v1/enforcement/cases/{case.pk}/evidence", {
        "file": SimpleUploadedFile("p.png", png), "sha256": digest, "title": "现场照片"})
    assert response.status_code == 201
    out = io.StringIO()
    call_command("consistency", stdout=out)  # consistent so far
    case.refresh_from_db()

    MarketEntity.objects.filter(pk=case.entity_id).update(established_on=case.received_on + dt.timedelta(days=1))
    Case.objects.filter(pk=case.pk).update(event_count=case.event_count + 1)
    evidence_path(digest).write_bytes(png[:-1] + b"\x02")
    out = io.StringIO()
    with pytest.raises(CommandError, match="发现 3 处不一致"):
        call_command("consistency", stdout=out)
    report = out.getvalue()
    assert f"记录日期早于主体成立日期：案件 {case.number} 的日期 {case.received_on}" in report
    assert f"案件全过程记录的顺序：案件 {case.number} 的事件序号不连续或与案件记载不符" in report
    assert "存储内容无法读取：案件" in report and "“现场照片”的文件内容与 SHA-256 不符" in report
    evidence_path(digest).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("consistency", stdout=out)
    assert "“现场照片”的文件不存在" in out.getvalue()


# After each scale the seed is consistent (issue 14, item 9). The test scale is the session's database (above). The
# demo, city and bench scales run the same steps and differ only in sizes (`SCALES`, the steps' per-scale counts):
# the demo scale is seeded here with fewer entities (`--entities`), which keeps every step and its fixed part (the
# catalog through its workflow, the cases and their documents, the draws) and cuts the rows per entity.
DEMO_ENTITIES = 600
SEED_AND_CHECK = f"""
import django
django.setup()
from django.core.management import call_command
call_command("seed", scale="demo", entities={DEMO_ENTITIES}, no_progress=True)
call_command("consistency")
"""


@pytest.mark.database("sqlite")
def test_a_demo_scale_seed_passes_the_consistency_check(empty_database, tmp_path):
    """Scale is the point here, not the database: on SQLite only, the database of `make demo`. The seed steps and
    the consistency check hold no database-specific code of their own (no vendor branch, no raw SQL); what is
    database-specific beneath them (bulk inserts by COPY, the audit chain's ids and lock) runs on both databases
    through the session's seed, its consistency check above and the services' own tests."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    from jianguan.core.registry import seed_steps

    env = {**os.environ, "JIANGUAN_DATABASE_URL": empty_database, "JIANGUAN_VAR_DIR": str(tmp_path / "var"),
           "JIANGUAN_TASKS_BACKEND": "database", "DJANGO_SETTINGS_MODULE": "jianguan.config.settings"}
    done = subprocess.run([sys.executable, "-c", SEED_AND_CHECK], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parents[2], timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"市场主体 {DEMO_ENTITIES:,} 户" in out and "演示数据已生成（demo，seed=2026）" in out
    assert all(f"  {step.name}：" in out for step in seed_steps())  # every step ran
    # the steps whose data the consistency check reads made their records
    assert "监管事项：主项 43" in out and "演示案件 6 件" in out and re.search(r"双随机：抽取 [1-9]", out)
    assert "行政检查 3 次（已提交 2，待检查 1）" in out and "强制执行 1 件" in out
    assert "OK：6 类检查均通过" in out, out


def test_the_demo_prints_the_consistency_check_after_seeding(monkeypatch):
    from jianguan.portal import consistency
    from jianguan.portal.management.commands import demo

    called = []
    monkeypatch.setattr(demo, "call_command", lambda name, **options: called.append(name))
    monkeypatch.setattr(demo.Region.objects, "exists", lambda: False)  # a first run: it seeds
    out = io.StringIO()
    demo.Command(stdout=out).handle(host="127.0.0.1", port=8000, scale="demo", no_serve=True)
    assert called == ["migrate", "seed"]
    assert "一致性检查：6 类检查均通过" in out.getvalue()

    broken = consistency.Report(checked=["重复记录"], problems=[f"重复记录：问题 {n}" for n in range(7)])
    monkeypatch.setattr(consistency, "check", lambda: broken)
    out = io.StringIO()
    demo.Command(stdout=out).handle(host="127.0.0.1", port=8000, scale="demo", no_serve=True)
    assert "一致性检查：发现 7 处不一致（jianguan consistency 列出全部）" in out.getvalue()
    assert "重复记录：问题 4" in out.getvalue() and "重复记录：问题 5" not in out.getvalue()
