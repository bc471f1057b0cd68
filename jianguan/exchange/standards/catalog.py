"""The one list as exchanged upward: 监管事项目录清单 (主项 and 子项, catalog.md §2) and 检查实施清单 (catalog.md §3).

What the 14 digits of a 目录编码 encode is unknown: the code is checked for its shape only, never parsed. Whether a
子项编码 also has 14 digits is unknown, so it is checked for length only.
"""

from __future__ import annotations

from .base import Field, Standard
from .behaviour import BODY_USCC, CATALOG_CODE, CODE_14, DAY, first_region, head
from .rules import CatalogRef, DateOrder, Dedup, SamePrefix, VersionDate

VERSION = "2019.1"
SOURCE = "监管事项目录清单、检查实施清单交换表（国家互联网+监管系统，据公开实现整理 [practice]）；catalog.md §2–§3"
VERSION_ID = r"[0-9]{14}"
VERSION_NOTE = "应为 14 位数字（yyyyMMddHHmmss [unconfirmed]）"


def _region() -> Field:
    return Field("region_code", "区划代码", fixed_len=6, pattern=r"[0-9]{6}", pattern_note="应为 6 位数字（GB/T 2260）",
                 dictionary="行政区划代码", aliases=("行政区划代码",), example=first_region)


def catalog_item() -> Standard:
    """监管事项目录清单: one row per 主项 or 子项 version; 子项 rows also carry the 子项 columns."""
    fields = (*head(),
              Field("name", "监管目录事项名称", max_len=200, required=True, aliases=("事项名称",),
                    example="食品药品安全监督检查"),
              Field("code", "事项编码", fixed_len=14, required=True, pattern=CODE_14, pattern_note="应为 14 位数字",
                    aliases=("目录编码", "监管事项目录编码"), example=CATALOG_CODE),
              Field("parent_code", "父级事项编码", fixed_len=14, pattern=CODE_14, pattern_note="应为 14 位数字"),
              Field("department_id", "监管部门Id", max_len=50, example=BODY_USCC),
              Field("department_name", "监管部门名称", max_len=100, example="示例市市场监督管理局"),
              Field("licence_type", "对应许可事项类型", dictionary="对应许可事项类型", example="3"),
              Field("status", "操作状态", required=True, dictionary="操作状态", example="0"),
              Field("version_id", "版本ID", fixed_len=14, required=True, pattern=VERSION_ID, pattern_note=VERSION_NOTE,
                    example="20250603100000"),
              Field("version_date", "版本日期", type="date", required=True, example=DAY),
              Field("created_by", "创建人", max_len=50, example="张明"),
              Field("created_department", "创建部门", max_len=100, example="示例市市场监督管理局"),
              _region(),
              Field("sub_name", "子项名称", max_len=200, example="对食品生产者的监督检查"),
              Field("sub_code", "子项编码", max_len=50, note="是否同为 14 位未知 [unconfirmed]"),
              Field("supervising_department_code", "监管部门编码", max_len=50),
              Field("supervised_object", "监管对象", max_len=500, example="食品生产者"),
              Field("action_type", "行政类型", dictionary="行政类型", example="0"),
              Field("basis", "设定依据", max_len=4000, example="《中华人民共和国食品安全法》第一百一十条"),
              Field("supervision_form", "监管形式", max_len=500),
              Field("supervision_method", "监管方式", max_len=500, example="现场检查、抽样检验"),
              Field("supervision_process", "监管流程", max_len=2000),
              Field("supervision_result", "监管结果", max_len=500),
              Field("supervision_level", "监管层级", max_len=100),
              Field("effective_from", "计划生效日期", type="date", example=DAY),
              Field("cancel_on", "计划取消日期", type="date"))
    return Standard("catalog_item", "监管事项目录清单", VERSION, fields, source=SOURCE,
                    aliases=("目录", "子项", "监管事项目录", "目录清单", "监管事项"),
                    rules=(DateOrder("effective_from", "cancel_on", strict=True),
                           VersionDate("version_id", "version_date")),
                    dedup=(Dedup("record_id"), Dedup("code", "version_id")))


def implementation() -> Standard:
    """检查实施清单: how one body at one level carries out one 子项; the code begins with the body's USCC."""
    fields = (*head(),
              Field("item_code", "检查子项编码", fixed_len=14, required=True, pattern=CODE_14,
                    pattern_note="应为 14 位数字", example=CATALOG_CODE),
              Field("code", "实施清单编码", required=True, check="impl_code",
                    note="前 18 位为实施主体统一社会信用代码，第 19 位为 1–5；其余含义未公布",
                    example=f"{BODY_USCC}3{CATALOG_CODE}01"),
              Field("level", "行使层级", required=True, dictionary="行使层级", example="3"),
              Field("body_name", "实施主体", max_len=200, required=True, example="示例市市场监督管理局"),
              Field("body_code", "实施主体编码", required=True, check="uscc", example=BODY_USCC),
              Field("body_nature", "实施主体性质", max_len=50, example="行政机关"),
              Field("delegated_by_name", "委托部门", max_len=200),
              Field("delegated_by_code", "委托部门编码", check="uscc"),
              Field("object_main", "监管对象主项", max_len=200, example="食品生产者"),
              Field("object_sub", "监管对象子项", max_len=200),
              Field("check_category", "检查类别", dictionary="检查类别", example="1"),
              Field("check_method", "检查方式", dictionary="检查方式", multi="、", example="现场检查"),
              Field("in_random_checks", "是否纳入双随机", dictionary="是否", example="1"),
              Field("check_ratio", "检查比例", max_len=100, example="5%"),
              Field("check_frequency", "检查频次", max_len=100, example="每年1次"),
              Field("content_routine", "检查内容（日常）", max_len=4000, example="生产环境、进货查验、出厂检验"),
              Field("content_special", "检查内容（专项）", max_len=4000),
              Field("sampling", "是否抽检", dictionary="是否", example="2"),
              Field("sampling_content", "监督抽检内容", max_len=4000),
              Field("coordinated", "是否协同", dictionary="是否", example="2"),
              Field("coordinated_bodies", "协同相关机构", max_len=500),
              Field("effective_from", "计划生效日期", type="date", required=True, example=DAY),
              Field("cancel_on", "计划取消日期", type="date"),
              Field("deleted", "删除状态", dictionary="删除状态", example="0"),
              Field("version_id", "版本id", fixed_len=14, pattern=VERSION_ID, pattern_note=VERSION_NOTE,
                    example="20250603100000"),
              Field("version_time", "版本时间", type="datetime", example="2025-06-03 10:00:00"),
              Field("status", "操作状态", required=True, dictionary="操作状态", example="0"),
              _region())
    return Standard("implementation", "检查实施清单", VERSION, fields, source=SOURCE,
                    aliases=("实施清单", "监管事项检查实施清单"),
                    rules=(SamePrefix("code", "body_code"), DateOrder("effective_from", "cancel_on", strict=True),
                           VersionDate("version_id", "version_time"), CatalogRef("item_code", "effective_from")),
                    dedup=(Dedup("record_id"), Dedup("code", "version_id")))
