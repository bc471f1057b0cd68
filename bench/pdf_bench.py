"""PDF benchmark (执法文书): a realistic 行政处罚决定书 (three A4 pages, Noto CJK fonts) rendered from its packaged
template and sample context, in one process — the cold first render, then after one warm-up the median and p95 of
20 renders, goal ≤ 1 s each — and a case file of the sixteen sample kinds bundled and checked by the standard-library
verifier.

Needs no database: `python -m bench.pdf_bench` prints JSON rows (run it as its own process, so the first render is
really cold).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from types import SimpleNamespace

from bench.common import setup

RENDERS = 20


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure() -> list[dict]:
    started = time.perf_counter()
    setup()
    from django.utils import timezone

    from jianguan.documents import bundling, rendering, samples, verify_bundle
    from jianguan.documents.kinds import KINDS

    imported = time.perf_counter() - started
    department = SimpleNamespace(name="示例市市场监督管理局", short_name="示例市场监管局",
                                 region=SimpleNamespace(name="示例市"))
    source = rendering.packaged_source("penalty_decision")
    context = samples.sample("penalty_decision", department)

    def once() -> tuple[float, rendering.Rendered]:
        begin = time.perf_counter()
        rendered = rendering.render_pdf(source, department=department, context=context, number="示市监处罚〔2026〕15号")
        return time.perf_counter() - begin, rendered

    cold, first = once()
    once()  # warm-up
    warm = [once()[0] for _ in range(RENDERS)]
    median, p95 = statistics.median(warm), _p95(warm)

    parts = []
    for kind in KINDS:
        rendered = rendering.render_pdf(rendering.packaged_source(kind), department=department,
                                        context=samples.sample(kind, department), number=f"示{kind}〔2026〕1号")
        parts.append((KINDS[kind], rendered.pdf))
    begin = time.perf_counter()
    bundle = bundling.bundle(title="示例案卷", parts=parts, manifest=[{"number": f"{n}"} for n in range(len(parts))],
                             created_at=timezone.now())
    bundled = time.perf_counter() - begin
    begin = time.perf_counter()
    _lines, problems, _files = verify_bundle.verify(bundle)
    verified = time.perf_counter() - begin
    if problems:
        raise SystemExit(f"bundle does not verify: {problems}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load}"
    return [
        {"name": "行政处罚决定书 PDF, warm process (WeasyPrint, Noto CJK)", "figure": round(median, 3), "unit": "s",
         "goal": "<= 1 s per decision", "met": p95 <= 1,
         "detail": f"{machine}; median of {RENDERS} renders after one warm-up; p95 {p95:.3f} s; max {max(warm):.3f} s; "
                   f"{first.pages} pages, {len(first.pdf):,} bytes"},
        {"name": "行政处罚决定书 PDF, cold first render in a new process", "figure": round(cold, 3), "unit": "s",
         "goal": "<= 1 s per decision (after start-up)", "met": cold <= 1,
         "detail": f"{machine}; first render after Django set-up (fonts found and loaded); set-up and imports took "
                   f"{imported:.2f} s before it"},
        {"name": f"case file of {len(parts)} documents: bundle, then verify with the standard-library checker",
         "figure": round(bundled + verified, 3), "unit": "s", "goal": "<= 5 s", "met": bundled + verified <= 5,
         "detail": f"{machine}; bundle (cover + manifest rendered, pages merged, originals attached) "
                   f"{bundled:.3f} s, verify {verified:.3f} s; {len(read_pages(bundle))} pages, {len(bundle):,} bytes"},
    ]


def read_pages(data: bytes) -> list:
    from jianguan.documents.pdfread import read

    return read(data).page_refs()


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False, indent=1))
    sys.exit(0)
