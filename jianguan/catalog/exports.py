"""Excel files of the one list: the published list, and the template for a department's own list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jianguan.accounts.models import DepartmentKind
from jianguan.core.tabular import write_xlsx

from .mapping_imports import MAPPING_OPTIONAL, MAPPING_REQUIRED
from .models import CatalogVersion, ImplementationVersion

LIST_HEADERS = ["目录编码", "主项编码", "主项名称", "事项名称", "行政类型", "监管部门", "设定依据", "监管对象",
                "监管方式", "监管层级", "计划生效日期", "计划取消日期", "版本", "实施主体"]


def catalog_xlsx(versions: Iterable[CatalogVersion], implementations: Iterable[ImplementationVersion],
                 as_of: dt.date) -> bytes:
    bodies: dict[int, list[str]] = {}
    for row in implementations:
        bodies.setdefault(row.implementation.item_id, []).append(row.implementation.body.name)
    rows = []
    for version in versions:
        item = version.item
        parent_name = item.parent.versions.order_by("-version").values_list("name", flat=True).first() \
            if item.parent_id else ""
        rows.append([
            item.code, item.parent.code if item.parent_id else "", parent_name, version.name,
            version.get_action_type_display(), DepartmentKind(item.line).label,
            "；".join(str(reference) for reference in version.basis.all()), version.supervised_object,
            version.supervision_method, "、".join(str(level) for level in version.levels),
            version.effective_from.isoformat(), version.cancel_on.isoformat() if version.cancel_on else "",
            version.version, "、".join(sorted(bodies.get(item.pk, []))),
        ])
    return write_xlsx(f"监管事项清单（{as_of}）", LIST_HEADERS, rows,
                      widths=[16, 16, 22, 30, 10, 18, 40, 20, 20, 10, 12, 12, 6, 40])


def mapping_template() -> bytes:
    headers = [MAPPING_OPTIONAL[0], *MAPPING_REQUIRED, *MAPPING_OPTIONAL[1:]]
    notes = ["可选：序号", "必填：本部门清单中的事项名称",
             "必填：法律法规名称与条款，如《中华人民共和国食品安全法》第一百一十条",
             "可选：行政检查/行政处罚/行政强制/其他", "可选"]
    example = [1, "食品生产企业日常监督检查", "《中华人民共和国食品安全法》第一百一十条", "行政检查", ""]
    return write_xlsx("自建事项清单", headers, [example], notes=notes, widths=[8, 30, 50, 14, 20])
