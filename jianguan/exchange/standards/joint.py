"""联合监管任务: the `taskInfo` and `superviseObjects` parts of the 2019 national joint-supervision message
(`superviseData`, behaviour-records.md §6), flattened to one row per task. The XML element names are accepted as
keys. The per-unit `taskDetails` and the `feedbackUnitInfo` records are checked with the behaviour standards."""

from __future__ import annotations

from .base import Field, Standard
from .behaviour import BODY_USCC, CATALOG_CODE, CODE_14, PARTY_USCC
from .rules import CatalogRef, Dedup

VERSION = "2019.1"
SOURCE = "联合监管任务报文 superviseData（2019 国家接口样例，据公开实现整理 [practice]）；behaviour-records.md §6"


def joint_task() -> Standard:
    fields = (
        Field("task_no", "任务编号", max_len=50, required=True, aliases=("taskNo",), example="LH-2025-0001"),
        Field("task_name", "任务名称", max_len=200, required=True, aliases=("taskName",), example="食品安全联合检查"),
        Field("task_start_time", "任务开始时间", type="datetime", required=True, aliases=("taskStartTime",),
              example="2025-06-03 09:00:00"),
        Field("status", "任务状态", required=True, dictionary="联合监管任务状态", aliases=("status",), example="分发"),
        Field("initiate_unit_no", "发起单位编码", max_len=50, required=True, aliases=("initiateUnitNo",),
              example=BODY_USCC),
        Field("initiate_unit_name", "发起单位名称", max_len=200, required=True, aliases=("initiateUnitName",),
              example="示例市市场监督管理局"),
        Field("initiate_unit_type", "发起单位类型", required=True, dictionary="发起单位类型",
              aliases=("initiateUnitType",), example="department"),
        Field("union_dept_nos", "联合部门编码", type="list", max_len=50, aliases=("unionDeptNo",)),
        Field("union_dept_names", "联合部门名称", type="list", max_len=200, aliases=("unionDeptName",)),
        Field("union_region_nos", "联合区划编码", type="list", fixed_len=6, pattern=r"[0-9]{6}",
              pattern_note="应为 6 位数字（GB/T 2260）", aliases=("unionRegionNo",)),
        Field("union_region_names", "联合区划名称", type="list", max_len=100, aliases=("unionRegionName",)),
        Field("supervision_matter_code", "监管事项编码", fixed_len=14, required=True, pattern=CODE_14,
              pattern_note="应为 14 位数字", aliases=("supervisionMatterCode", "监管事项目录编码"),
              example=CATALOG_CODE),
        Field("supervise_object_no", "监管对象行业代码", pattern=r"[A-T]?[0-9]{2,4}",
              pattern_note="应为 GB/T 4754-2017 行业代码（可带门类字母，2–4 位数字）", aliases=("superviseObjectNo",),
              example="C1491"),
        Field("inspect_content", "检查内容", max_len=4000, required=True, aliases=("inspectContent",),
              example="生产环境、进货查验"),
        Field("inspect_claim", "检查要求", max_len=4000, aliases=("inspectClaim",)),
        Field("remark", "备注", max_len=1000, aliases=("remark",)),
        Field("object_names", "监管对象名称", type="list", max_len=200, example=["示例食品有限公司"]),
        Field("object_codes", "监管对象标识", type="list", check="uscc_or_ric",
              note="统一社会信用代码或公民身份号码", example=[PARTY_USCC]),
    )
    return Standard("joint_task", "联合监管任务", VERSION, fields, key="task_no", source=SOURCE,
                    aliases=("联合监管", "联合检查任务", "superviseData"),
                    rules=(CatalogRef("supervision_matter_code", "task_start_time"),),
                    dedup=(Dedup("task_no"),))
