"""`jianguan consistency`: the whole database checked against itself, each problem named in Chinese.

- 日期顺序: no record of an entity (行政检查、处罚、强制、其他行为, 信用记录, 案件线索) dated before the entity was
  established; each case's events numbered 1…n without gaps, as many as the case counts, in the order they happened.
- 引用可解析: the documents a case event names exist, carry the digest the event kept (before ADR 0030: their
  PDF's SHA-256) and are named by kind and
  number in the event (the case's list of documents shows them by those); a penalty's or a
  coercion's inspection number names a stored inspection; a risk alert's clue number names a clue registered from
  that alert (案件来源 风险预警, its 来源编号).
- 存储可读: every issued document's content matches its digest; every rendered document's bytes are a PDF whose
  SHA-256 is the stored one (a document still being rendered is not a problem); every evidence file exists
  under the var directory with its SHA-256; a stored case file matches its hash.
- 无重复: one result per drawn object of a draw, one document per number of a department, kind and year, one
  decision number per penalty decision of a department; one 行政检查 made on the platform per spot-check task,
  object and task item.
- 信息链无重复条目: the chain of every entity with a spot-check result (where one entry stands for the 行政检查 of
  each task item) shows each record once, read with a scope that sees everything.

Each check is one or a few statements over the whole table (the demo's hundreds of thousands of rows take
seconds); reading every PDF is the slowest part. Problems are listed, at most `LIMIT` of each kind with the count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, F, Max, Min, Model

LIMIT = 20


@dataclass
class Report:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, title: str, found: Iterable[str]) -> None:
        found = list(found)
        self.checked.append(title)
        self.problems += [f"{title}：{line}" for line in found[:LIMIT]]
        if len(found) > LIMIT:
            self.problems.append(f"{title}：另有 {len(found) - LIMIT} 处同类问题")

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line in Chinese: every kind of check passed, or how many problems were found."""
        if self.ok:
            return f"{len(self.checked)} 类检查均通过"
        return f"发现 {len(self.problems)} 处不一致"


def _before_established() -> Iterable[str]:
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.credit.models import CreditRecord
    from jianguan.enforcement.models import Case

    sources: list[tuple[type[Model], str, str, str]] = [
        (Inspection, "行政检查", "number", "date"), (Penalty, "行政处罚", "number", "date"),
        (Coercion, "行政强制", "number", "date"), (OtherAction, "其他行政行为", "number", "date"),
        (CreditRecord, "信用记录", "pk", "date"), (Case, "案件", "number", "received_on")]
    for model, label, key, day in sources:
        dated = model._default_manager.filter(entity__isnull=False, **{f"{day}__lt": F("entity__established_on")})
        rows = dated.values_list(key, day, "entity__uscc", "entity__established_on").order_by(day)
        for number, on, uscc, established in rows[:LIMIT + 1]:
            yield f"{label} {number} 的日期 {on} 早于主体 {uscc} 的成立日期 {established}"


def _case_events() -> Iterable[str]:
    from jianguan.enforcement.models import Case, CaseEvent

    counted = CaseEvent.objects.values("case_id").annotate(n=Count("pk"), first=Min("seq"), last=Max("seq"))
    numbers = dict(Case.objects.values_list("pk", "number"))
    expected = dict(Case.objects.values_list("pk", "event_count"))
    seen = set()
    for row in counted:
        seen.add(row["case_id"])
        if (row["first"], row["last"]) != (1, row["n"]) or row["n"] != expected.get(row["case_id"]):
            yield (f"案件 {numbers[row['case_id']]} 的事件序号不连续或与案件记载不符（{row['n']} 条，序号 "
                   f"{row['first']}–{row['last']}，案件记为 {expected.get(row['case_id'])} 条）")
    for case_id, count in expected.items():
        if count and case_id not in seen:
            yield f"案件 {numbers[case_id]} 记为 {count} 条事件，实际没有"
    previous: dict[int, tuple[Any, ...]] = {}
    for case_id, seq, occurred_at in CaseEvent.objects.values_list("case_id", "seq", "occurred_at").order_by(
            "case_id", "seq").iterator(chunk_size=5000):
        last = previous.get(case_id)
        if last is not None and occurred_at < last[1]:
            yield f"案件 {numbers[case_id]} 的第 {seq} 条事件早于第 {last[0]} 条发生"
        previous[case_id] = (seq, occurred_at)


def _references() -> Iterable[str]:
    from jianguan.behaviour.models import Coercion, Inspection, Penalty
    from jianguan.documents.models import IssuedDocument
    from jianguan.enforcement.models import CaseEvent

    stored = {pk: digest or sha256 for pk, digest, sha256 in IssuedDocument.objects.values_list(
        "pk", "digest", "rendered__sha256")}
    for number, seq, document_id, digest, data in CaseEvent.objects.exclude(document_id=None).values_list(
            "case__number", "seq", "document_id", "document_sha256", "data").order_by("case_id", "seq"):
        named = data.get("document") if isinstance(data.get("document"), dict) else {}
        if not named.get("kind") or not named.get("number"):  # the case's list of documents reads them here
            yield f"案件 {number} 第 {seq} 条事件的文书 #{document_id} 没有记载文书种类、名称或文号"
        if document_id not in stored:
            yield f"案件 {number} 第 {seq} 条事件引用的文书 #{document_id} 不存在"
        elif stored[document_id] != digest:
            yield f"案件 {number} 第 {seq} 条事件记载的文书摘要与文书 #{document_id} 不符"
    inspections = set(Inspection.objects.values_list("number", flat=True))
    for model, label in ((Penalty, "行政处罚"), (Coercion, "行政强制")):
        for number, inspection in model.objects.exclude(inspection_number="").values_list(
                "number", "inspection_number").order_by("number").iterator(chunk_size=5000):
            if inspection not in inspections:
                yield f"{label} {number} 引用的检查行为 {inspection} 不存在"
    yield from _alert_clues()


def _alert_clues() -> Iterable[str]:
    from jianguan.enforcement.models import Clue, ClueSource
    from jianguan.risk.contracts import alert_reference
    from jianguan.risk.models import Alert

    carried = dict(Alert.objects.exclude(clue_number="").values_list("pk", "clue_number"))
    clues = dict(Clue.objects.filter(number__in=carried.values()).values_list("number", "source_ref"))
    sources = dict(Clue.objects.filter(number__in=carried.values()).values_list("number", "source"))
    for pk, number in sorted(carried.items()):
        if clues.get(number) != alert_reference(pk) or sources.get(number) != ClueSource.RISK_ALERT:
            yield f"风险预警 #{pk} 记载的案件线索 {number} 不存在或不是由该预警登记"


def _readable() -> Iterable[str]:
    from jianguan.documents.contracts import content_digest
    from jianguan.documents.models import IssuedDocument, RenderedDocument
    from jianguan.enforcement.contracts import evidence_path
    from jianguan.enforcement.models import CaseFile, Evidence

    for document in IssuedDocument.objects.exclude(digest="").order_by("pk").iterator(chunk_size=500):
        if content_digest(document) != document.digest:
            yield f"文书 #{document.pk}（{document.number or '无文号'}）的内容与制发时记录的摘要不符"
    for pk, number, pdf, digest in RenderedDocument.objects.values_list(
            "document_id", "document__number", "pdf", "sha256").order_by("pk").iterator(chunk_size=200):
        data = bytes(pdf)
        if not data.startswith(b"%PDF-") or hashlib.sha256(data).hexdigest() != digest:
            yield f"文书 #{pk}（{number or '无文号'}）的内容不是完整的 PDF 或与存储的 SHA-256 不符"
    for pk, number, pdf, digest in CaseFile.objects.values_list("pk", "case__number", "pdf", "sha256").iterator(
            chunk_size=50):
        if hashlib.sha256(bytes(pdf)).hexdigest() != digest:
            yield f"案件 {number} 的案卷文件 #{pk} 与存储的 SHA-256 不符"
    for number, title, digest in Evidence.objects.values_list("case__number", "title", "sha256").order_by("pk"):
        path = evidence_path(digest)
        if not path.is_file():
            yield f"案件 {number} 的证据“{title}”的文件不存在（{digest[:12]}…）"
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            yield f"案件 {number} 的证据“{title}”的文件内容与 SHA-256 不符"


def _duplicates() -> Iterable[str]:
    from jianguan.behaviour.models import Inspection, Penalty, Source
    from jianguan.documents.models import IssuedDocument
    from jianguan.spotchecks.models import CheckResult

    for row in CheckResult.objects.values("draw__number", "entity__uscc").annotate(n=Count("pk")).filter(
            n__gt=1).order_by("draw__number"):
        yield f"抽取 {row['draw__number']} 中主体 {row['entity__uscc']} 的检查结果重复 {row['n']} 次"
    for row in IssuedDocument.objects.exclude(number="").values("department_id", "number").annotate(
            n=Count("pk")).filter(n__gt=1).order_by("number"):
        yield f"文号 {row['number']} 被 {row['n']} 份文书使用"
    for row in Penalty.objects.exclude(decision_number="").values("department_id", "decision_number").annotate(
            n=Count("pk")).filter(n__gt=1).order_by("decision_number"):
        yield f"处罚决定书文号 {row['decision_number']} 被 {row['n']} 条处罚行为使用"
    for row in Inspection.objects.filter(source=Source.PLATFORM).exclude(spot_check_plan="").values(
            "spot_check_plan", "entity__uscc", "implementation_code").annotate(n=Count("pk")).filter(
            n__gt=1).order_by("spot_check_plan", "entity__uscc"):
        yield (f"抽查任务 {row['spot_check_plan']} 对主体 {row['entity__uscc']} 的检查事项 "
               f"{row['implementation_code']} 有 {row['n']} 条行政检查记录")


def _chain_entries() -> Iterable[str]:
    from jianguan.chain.contracts import chain_get, duplicates
    from jianguan.core.registry import CHAIN_CAP
    from jianguan.core.scoping import Scope
    from jianguan.spotchecks.models import CheckResult

    everything = SimpleNamespace(scope=Scope(department_ids=None, region_codes=frozenset(), everything=True))
    for uscc in CheckResult.objects.values_list("entity__uscc", flat=True).distinct().order_by("entity__uscc"):
        for ref in duplicates(chain_get(reader=everything, uscc=uscc, limit=CHAIN_CAP).entries):
            yield f"主体 {uscc} 的信息链中 {ref} 出现不止一次"


CHECKS: list[tuple[str, Callable[[], Iterable[str]]]] = [
    ("记录日期早于主体成立日期", _before_established),
    ("案件全过程记录的顺序", _case_events),
    ("引用无法解析", _references),
    ("存储内容无法读取", _readable),
    ("重复记录", _duplicates),
    ("信息链中的重复条目", _chain_entries),
]


def check() -> Report:
    report = Report()
    for title, function in CHECKS:
        report.add(title, function())
    return report
