"""`jianguan risk scan|backtest`: one verdict per input line in order, the back-test's figures, and bad input refused
whole, naming line and field, with a non-zero exit and no traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from django.core.management import CommandError, call_command

from jianguan.risk import batch
from jianguan.risk.engine import Verdict

pytestmark = pytest.mark.once
SETS = Path(__file__).with_name("sets")


def write(tmp_path: Path, *lines: object, raw: bytes = b"") -> str:
    path = tmp_path / "in.jsonl"
    body = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path.write_bytes(body.encode() + raw)
    return str(path)


def scan(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("risk", "scan", *args, "--format", "json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_scan_prints_one_verdict_per_line_in_order(tmp_path):
    verdicts = scan("--model", "medical_ad", write(tmp_path, {"id": "b", "text": "七天根 治失眠"},
                                                  {"id": 7, "text": "咸宁市第一人民医院欢迎您"}, "",
                                                  {"id": "a", "text": "全国第一"}))
    assert [verdict["id"] for verdict in verdicts] == ["b", 7, "a"]
    assert [verdict["alert"] for verdict in verdicts] == [True, False, True]
    first = verdicts[0]
    assert first.keys() >= {"id", "alert", "score", "band", "hits"} and first["band"] == "橙"
    assert first["hits"][0] == {"rule": "medical_ad.cure_promise", "article": "广告法第十六条第一款第一项、第二项",
                                "quote": "根 治", "start": 2, "end": 5, "field": "text",
                                "note": "词库 medical_ad 2026.12.1：根治"}
    assert verdicts[1] == {"id": 7, "alert": False, "score": 0.0, "band": None, "hits": [], "model": "medical_ad",
                           "version": "2026.12.2"}


@pytest.mark.parametrize("alert", [False, True])
def test_a_verdict_with_nothing_found_prints_as_its_whole_json_would(alert):
    """The printed form of a verdict without hits, score or band is built from its id and the model's fixed rest."""
    for ident in (7, "线-1/\"引号\"", 2**40):
        verdict = Verdict(ident, alert, 0.0, None, (), "medical_ad", "2026.12.2")
        assert batch.shown(verdict, "json") == orjson.dumps(verdict.as_json())
    found = Verdict("x", False, 3.5, None, (), "medical_ad", "2026.12.2")
    assert json.loads(batch.shown(found, "json"))["score"] == 3.5


def test_backtest_prints_precision_recall_and_the_confusion_table():
    out = io.StringIO()
    call_command("risk", "backtest", "--model", "rx_sales", str(SETS / "rx_sales.jsonl"), "--format", "json",
                 stdout=out)
    assert json.loads(out.getvalue()) == {"model": "rx_sales", "version": "2026.12.3", "precision": 1.0,
                                          "recall": 8 / 9, "confusion": {"tp": 8, "fp": 0, "fn": 1, "tn": 7}}
    out = io.StringIO()
    call_command("risk", "backtest", "--model", "rx_sales", str(SETS / "rx_sales.jsonl"), stdout=out)
    assert "精确率 100.0%\t召回率 88.9%" in out.getvalue() and "预警\t8\t0\n未预警\t1\t7" in out.getvalue()


@pytest.mark.parametrize(("model", "lines", "raw", "words"), [
    ("medical_ad", [{"id": 1, "text": "  "}], b"", ["第 1 行", "字段 text", "不能为空", "[required]"]),
    ("medical_ad", [{"id": 1, "text": "根治" * 300_000}], b"", ["第 1 行", "字段 text", "超过 100000", "[too_long]"]),
    ("medical_ad", [{"id": 1, "text": "好"}], b'\n{"id": 2, "text": "\xb8\xf9\xd6\xce"}',
     ["第 2 行", "不是 UTF-8", "[bad_encoding]"]),
    ("medical_ad", [{"id": 1, "text": "好"}, "{id: 2}"], b"", ["第 2 行", "不是有效的 JSON", "[invalid_json]"]),
    ("medical_ad", [{"id": 1, "text": "好", "price": 3}], b"", ["第 1 行", "字段 price", "[unknown_field]"]),
    ("drug_sales", [{"id": 1, "text": "  "}], b"", ["第 1 行", "字段 text", "[required]"]),
    ("rx_sales", [{"id": 1, "seller": "s", "text": "x", "order_time": "昨天"}], b"", ["字段 order_time", "[not_time]"]),
    ("device_sales", [{"id": 1, "seller": "s", "text": "x", "device_class": 4}], b"", ["字段 device_class"]),
    ("fundraising", [{"id": 1}], b"", ["第 1 行", "至少填写一项"]),
    ("medical_ad", [], b"", ["没有任何输入行", "[empty_file]"]),
    ("medical_ads", [{"id": 1, "text": "好"}], b"", ["没有名为 medical_ads 的模型", "[model_unknown]"]),
])
def test_bad_input_is_refused_whole_naming_line_and_field(tmp_path, model, lines, raw, words):
    with pytest.raises(CommandError) as refused:
        scan("--model", model, write(tmp_path, *lines, raw=raw))
    for word in words:
        assert word in str(refused.value)


def test_every_bad_line_is_named_and_nothing_is_printed(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("risk", "scan", "--model", "medical_ad",
                     write(tmp_path, {"id": 1, "text": "好"}, {"id": 2}, {"id": 3, "text": ""}), stdout=out)
    assert "第 2 行" in str(refused.value) and "第 3 行" in str(refused.value) and "第 1 行" not in str(refused.value)
    assert out.getvalue() == ""


def test_the_console_command_exits_non_zero_without_a_traceback(tmp_path):
    path = write(tmp_path, {"id": 1, "text": "好"}, "not json")
    env = {**os.environ, "JIANGUAN_VAR_DIR": str(tmp_path / "var")}
    env.pop("JIANGUAN_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "jianguan", "risk", "scan", "--model", "medical_ad", path,
                           "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert "第 2 行：不是有效的 JSON" in done.stderr and "Traceback" not in done.stderr


def test_scan_reads_standard_input_and_a_byte_order_mark(tmp_path, monkeypatch):
    body = "\ufeff" + json.dumps({"id": 1, "seller": "s", "text": "免处方"}, ensure_ascii=False) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    (verdict,) = scan("--model", "rx_sales", "-")
    assert verdict["alert"] and verdict["hits"][0]["quote"] == "免处方"


def test_backtest_needs_a_label_on_every_line(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("risk", "backtest", "--model", "medical_ad",
                     write(tmp_path, {"id": 1, "text": "好", "label": False}, {"id": 2, "text": "好", "label": "yes"},
                           {"id": 3, "text": "好"}))
    assert "第 2 行，字段 label" in str(refused.value) and "第 3 行，字段 label" in str(refused.value)


def test_a_labelled_file_can_be_scanned():
    verdicts = scan("--model", "device_sales", str(SETS / "device_sales.jsonl"))
    assert [verdict["id"] for verdict in verdicts][:3] == ["dv01", "dv02", "dv03"]
    assert "label" not in verdicts[0]


def test_scan_by_several_workers_prints_what_one_prints_in_the_same_order(tmp_path):
    """Run as the console command (a process of its own, as in use: the workers are forked from it)."""
    env = {**os.environ, "JIANGUAN_VAR_DIR": str(tmp_path / "var")}
    env.pop("JIANGUAN_DATABASE_URL", None)
    for model in ("medical_ad", "drug_sales"):
        path = str(SETS / f"{model}.jsonl")
        one = scan("--model", model, path)
        done = subprocess.run([sys.executable, "-m", "jianguan", "risk", "scan", "--model", model, path, "--format",
                               "json", "--workers", "3"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300, check=True)
        assert len(one) > 8 and [json.loads(line) for line in done.stdout.splitlines()] == one


def test_scan_refuses_a_worker_count_out_of_range(tmp_path):
    with pytest.raises(CommandError, match="workers"):
        call_command("risk", "scan", "--model", "medical_ad", write(tmp_path, {"id": 1, "text": "好"}),
                     "--workers", "0")


def test_a_listing_line_needs_no_more_than_id_and_text(tmp_path):
    """Every listing field but `id` and `text` is optional to the scan: a model judges what it is given, and what
    needs the seller (its licence) is said, not guessed."""
    path = write(tmp_path, {"id": "L1", "product_name": "头孢克肟片", "text": "免处方 直接下单 头孢克肟片"},
                 {"id": "L2", "text": "维生素C片"})
    verdicts = scan("--model", "rx_sales", path)
    assert [(v["id"], v["alert"]) for v in verdicts] == [("L1", True), ("L2", False)]
    assert any(hit["quote"] == "免处方" for hit in verdicts[0]["hits"])
