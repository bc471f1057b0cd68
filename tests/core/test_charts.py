"""Bar charts as inline SVG: one bar per row, proportional to the largest value, every label escaped."""

from __future__ import annotations

import re

import pytest

from jianguan.core.charts import bar_chart

pytestmark = pytest.mark.once


def test_bars_are_proportional_to_the_largest_value_and_labels_are_escaped():
    svg = bar_chart([("红", 4), ("<b>橙</b>", 2), ("黄", 0)], title="按等级 & 模型", width=520,
                    colours={"红": "#c0392b"})
    widths = [float(w) for w in re.findall(r'<rect x="150" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == [322.0, 161.0, 0.0]  # 520 − 150 label − 48 value
    assert "<b>" not in svg and "&lt;b&gt;橙&lt;/b&gt;" in svg and "按等级 &amp; 模型" in svg
    assert 'fill="#c0392b"' in svg and svg.startswith("<svg") and "<script" not in svg


def test_a_long_label_is_cut_and_kept_whole_in_its_tooltip_and_no_rows_draw_nothing():
    svg = bar_chart([("咸宁市某某某某某某医疗美容诊所", 1)], title="t")
    assert ">咸宁市某某某某某某医…</text>" in svg and "<title>咸宁市某某某某某某医疗美容诊所：1</title>" in svg
    assert bar_chart([], title="t") == ""
    assert 'width="0.0"' in bar_chart([("零", 0)], title="t")  # all zero: no bar, no division by zero
