"""Quality inspection (质检) without a server.

    jianguan quality check FILE --standard NAME [--format text|json] [--report OUT.xlsx|OUT.json] [--no-refs]
    jianguan quality template --standard NAME --format xlsx|json [--output FILE]
    jianguan quality standards [NAME]

`check` reads a CSV (UTF-8 or GBK), Excel (.xlsx) or JSON (array of objects) file and checks every record against
the standard; references (目录编码 in force, 实施清单编码, 检查行为编号) are looked up in the local database unless
`--no-refs`, which needs no database at all. Exit code: 0 every record valid, 1 some invalid, 2 the input
cannot be used (missing or unreadable file, merged cells, unknown standard, no database for references).
`template` writes an Excel template (Chinese headers, notes and rules) or one valid JSON record taken from the
behaviour library (a synthetic one when the library has none, said on stderr).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from openpyxl import Workbook
from openpyxl.styles import Font
from tqdm import tqdm

from jianguan.core.errors import DomainError
from jianguan.core.tabular import ImportRefused
from jianguan.exchange import standards
from jianguan.exchange.quality import engine, scoring, sources
from jianguan.exchange.readers import read_records
from jianguan.exchange.standards import DIMENSIONS
from jianguan.exchange.standards.templates import note, workbook

LIBRARY_SAMPLE = 500  # recent library records tried for a valid template record
INVALID, UNUSABLE = 1, 2


class Command(BaseCommand):
    help = "数据质检：检查交换文件（check）、生成填报模板（template）、查看标准（standards）"
    requires_system_checks: list[str] = []  # usable without a server, and --no-refs without a database

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="按交换标准检查 CSV（UTF-8/GBK）、Excel（.xlsx）或 JSON 文件")
        check.add_argument("file", help="待检查的文件")
        check.add_argument("--standard", required=True, help="标准名称：inspection 或 行政检查行为 等")
        check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
        check.add_argument("--report", help="另存报告：OUT.xlsx 或 OUT.json")
        check.add_argument("--no-refs", action="store_true", help="不查关联（无需数据库）")
        check.add_argument("--no-progress", action="store_true", help="不显示进度条")
        check.add_argument("--expected", type=int, help="应报送的记录数（用于全面性评分）")
        template = sub.add_parser("template", help="生成填报模板")
        template.add_argument("--standard", required=True)
        template.add_argument("--format", choices=("xlsx", "json"), required=True)
        template.add_argument("--output", help="输出文件（json 默认输出到标准输出）")
        listing = sub.add_parser("standards", help="列出交换标准，或一个标准的字段与规则")
        listing.add_argument("name", nargs="?")

    def handle(self, *args, action: str, **options):
        try:
            standard = standards.get(options["standard"]) if "standard" in options else None
        except standards.UnknownStandard as error:
            raise CommandError(f"{error.message} [{error.code}]", returncode=UNUSABLE) from None
        if action == "check":
            self.check(standard, options)
        elif action == "template":
            self.template(standard, options)
        else:
            self.list_standards(options.get("name"))

    # check -----------------------------------------------------------------------------------------------------

    def check(self, standard: standards.Standard, options: dict[str, Any]) -> None:
        try:
            loaded = read_records(options["file"])
        except ImportRefused as error:
            raise CommandError(f"{error.message} [{error.problems[0].code}]", returncode=UNUSABLE) from None
        refs = None
        if not options["no_refs"]:
            refs = self._refs()
        bar = tqdm(total=len(loaded.records), file=sys.stderr, unit="条", desc=f"质检 {standard.title}",
                   disable=True if options["no_progress"] else None)
        try:
            verdicts = engine.check(standard, loaded.records, refs=refs, progress=bar.update)
        except DatabaseError as error:
            raise CommandError(f"查询关联数据失败（{error}）；可加 --no-refs 跳过关联性检查 [database_unavailable]",
                               returncode=UNUSABLE) from None
        finally:
            bar.close()
        scores = scoring.score(standard, verdicts, expected=options.get("expected"))
        document = self._document(standard, loaded, verdicts, scores)
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
        else:
            self._text(standard, loaded, verdicts, scores)
        if options.get("report"):
            self._report(Path(options["report"]), standard, document)
        invalid = document["invalid"]
        if invalid:
            raise CommandError(f"{invalid} 条记录未通过质检（共 {len(verdicts)} 条）", returncode=INVALID)

    def _refs(self):
        from django.db import connection

        from jianguan.exchange.refs import LibraryRefs

        name = str(connection.settings_dict.get("NAME") or "")
        if connection.vendor == "sqlite" and name != ":memory:" and not name.startswith("file:") \
                and not Path(name).exists():
            raise CommandError(f"数据库文件不存在（{name}）；可加 --no-refs 跳过关联性检查 [database_unavailable]",
                               returncode=UNUSABLE)
        try:
            connection.ensure_connection()
            tables = set(connection.introspection.table_names())
        except DatabaseError as error:
            raise CommandError(f"无法连接数据库（{error}）；可加 --no-refs 跳过关联性检查 [database_unavailable]",
                               returncode=UNUSABLE) from None
        if "catalog_catalogversion" not in tables:
            raise CommandError("数据库尚未初始化（请先运行 jianguan migrate）；可加 --no-refs 跳过关联性检查 "
                               "[database_unavailable]", returncode=UNUSABLE)
        return LibraryRefs()

    @staticmethod
    def _document(standard, loaded, verdicts, scores) -> dict[str, Any]:
        titles = {f.id: f.title for f in standard.fields}
        items = []
        for verdict, row in zip(verdicts, loaded.rows, strict=True):
            items.append({"index": verdict.index, "row": row, "record_id": verdict.record_id, "ok": verdict.ok,
                          "errors": [{**issue.as_dict(), "title": titles.get(issue.field, issue.field)}
                                     for issue in verdict.errors]})
        invalid = sum(not v.ok for v in verdicts)
        return {"standard": standard.name, "title": standard.title, "version": standard.version,
                "records": len(verdicts), "valid": len(verdicts) - invalid, "invalid": invalid,
                "refs_checked": verdicts.refs_checked, "scores": scores, "verdicts": items}

    def _text(self, standard, loaded, verdicts, scores) -> None:
        where = "行" if loaded.kind in ("csv", "xlsx") else "项"
        invalid = sum(not v.ok for v in verdicts)
        self.stdout.write(f"质检 {standard.title}（{standard.name}，版本 {standard.version}）：共 {len(verdicts)} 条，"
                          f"通过 {len(verdicts) - invalid} 条，未通过 {invalid} 条")
        for verdict, row in zip(verdicts, loaded.rows, strict=True):
            if verdict.ok:
                continue
            name = f"，记录唯一标识 {verdict.record_id}" if verdict.record_id else ""
            self.stdout.write(f"第 {row} {where}{name}：")
            for issue in verdict.errors:
                self.stdout.write(f"  - {issue.message} [{issue.code}]")
        shown = "；".join(f"{DIMENSIONS[d]} {'—' if s is None else f'{s:g}'}" for d, s in scores.items())
        self.stdout.write(f"评分（0–100，— 为无法评价）：{shown}")
        if not verdicts.refs_checked:
            self.stdout.write("未检查关联性（--no-refs）")

    def _report(self, path: Path, standard, document: dict[str, Any]) -> None:
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        elif path.suffix.lower() == ".xlsx":
            book = Workbook()
            sheet = book.active
            sheet.title = "质检结果"
            sheet.append(["序号", "行号", "记录唯一标识", "字段", "字段名称", "错误代码", "说明", "规则", "维度"])
            for item in document["verdicts"]:
                for issue in item["errors"]:
                    sheet.append([item["index"] + 1, item["row"], item["record_id"], issue["field"], issue["title"],
                                  issue["code"], issue["message"], issue["rule"], DIMENSIONS[issue["dimension"]]])
            summary = book.create_sheet("评分")
            summary.append(["标准", f"{standard.title}（{standard.name}）", "版本", standard.version])
            summary.append(["记录数", document["records"], "未通过", document["invalid"]])
            summary.append(["维度", "得分"])
            for dimension, value in document["scores"].items():
                summary.append([DIMENSIONS[dimension], "无法评价" if value is None else value])
            for sheet_ in (sheet, summary):
                for cell in sheet_[1]:
                    cell.font = Font(bold=True)
            out = io.BytesIO()
            book.save(out)
            path.write_bytes(out.getvalue())
        else:
            raise CommandError("报告文件应为 .xlsx 或 .json [report_type]", returncode=UNUSABLE)
        self.stderr.write(f"报告已写入 {path}")

    # template --------------------------------------------------------------------------------------------------

    def template(self, standard: standards.Standard, options: dict[str, Any]) -> None:
        output = options.get("output")
        if options["format"] == "xlsx":
            path = Path(output or f"{standard.name}_template.xlsx")
            path.write_bytes(workbook(standard))
            self.stderr.write(f"模板已写入 {path}")
            return
        record, source = self._sample(standard)
        text = json.dumps([standard.titled(record)], ensure_ascii=False, indent=1)
        if source != "library":
            self.stderr.write(source)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"模板已写入 {output}")
        else:
            self.stdout.write(text)

    @staticmethod
    def _sample(standard: standards.Standard) -> tuple[dict[str, Any], str]:
        """One valid record of the behaviour library (the latest that passes every rule, references included),
        or the standard's synthetic example with the reason it was used."""
        model_name = next((m for m, s in sources.LIBRARY_STANDARDS.items() if s == standard.name), None)
        synthetic = standard.example()
        if model_name is None:
            return synthetic, f"“{standard.title}”不在监管行为库中：示例记录为合成数据，其中引用的编码未必存在"
        try:
            from jianguan.behaviour import models
            from jianguan.exchange.refs import LibraryRefs

            rows = getattr(models, model_name).objects.order_by("-date", "-pk")[:LIBRARY_SAMPLE]
            records = sources.records_from_library(standard, rows)
            verdicts = engine.check(standard, records, refs=LibraryRefs())
        except DatabaseError as error:
            return synthetic, f"无法读取监管行为库（{error}）：示例记录为合成数据，其中引用的编码未必存在"
        for record, verdict in zip(records, verdicts, strict=True):
            if verdict.ok:
                return record, "library"
        reason = "监管行为库中没有记录" if not records else f"监管行为库最近 {len(records)} 条记录均未通过质检"
        return synthetic, f"{reason}：示例记录为合成数据，其中引用的编码未必存在"

    # standards -------------------------------------------------------------------------------------------------

    def list_standards(self, name: str | None) -> None:
        if not name:
            for standard in standards.all():
                self.stdout.write(f"{standard.name}\t{standard.title}\t版本 {standard.version}\t"
                                  f"{len(standard.fields)} 个字段")
            return
        try:
            standard = standards.get(name)
        except DomainError as error:
            raise CommandError(f"{error.message} [{error.code}]", returncode=UNUSABLE) from None
        self.stdout.write(f"{standard.title}（{standard.name}）版本 {standard.version}；来源：{standard.source}")
        for field in standard.fields:
            self.stdout.write("  " + " | ".join(p for p in note(field) if p))
        for rule in (*standard.rules, *standard.dedup):
            self.stdout.write(f"  规则 {rule.id} [{rule.code}] {DIMENSIONS[rule.dimension]}：{rule.label}")
