"""Tables the platform only sends upward (never accepted from a sender): each unit's feedback on a task dispatched
from above (`joint_feedback`, the `feedbackUnitInfo` part of the 2019 joint-supervision message, behaviour-records.md
§6) and the audit chain's signed checkpoints (`audit_checkpoint`, ADR 0023). Defined here so that a record the
receiver refused is read, shown and corrected in the repair queue like any other: `standards.get` finds them, the
intake refuses them (`Standard.outbound`), `standards.all()` (the intake's tables) leaves them out."""

from __future__ import annotations

from .base import Field, Standard
from .behaviour import BODY_USCC, CATALOG_CODE

FEEDBACK_SOURCE = ("联合监管任务报文 superviseData 的 feedbackUnitInfo（2019 国家接口样例 [practice]）；"
                   "behaviour-records.md §6")
CHECKPOINT_SOURCE = "审计链签名检查点的发布形式（ADR 0023）"


def joint_feedback() -> Standard:
    fields = (
        Field("record_id", "记录唯一标识", max_len=64, required=True, example="FK-LH-2025-0001-1"),
        Field("task_no", "任务编号", max_len=50, required=True, aliases=("taskNo",), example="LH-2025-0001"),
        Field("union_unit_type", "联合单位类型", max_len=20, required=True, aliases=("unionUnitType",),
              example="department"),
        Field("union_unit_no", "联合单位编码", max_len=50, required=True, aliases=("unionUnitNo",), example=BODY_USCC),
        Field("union_unit_name", "联合单位名称", max_len=200, required=True, aliases=("unionUnitName",),
              example="示例市市场监督管理局"),
        Field("status", "任务状态", max_len=20, required=True, aliases=("status",), example="反馈"),
        Field("claim_time", "认领时间", type="datetime", aliases=("claimTime",), example="2025-06-03 09:00:00"),
        Field("supervision_matter_code", "监管事项编码", max_len=14, aliases=("supervisionMatterCode",),
              example=CATALOG_CODE),
        Field("end_time", "结束时间", type="datetime", aliases=("endTime",), example="2025-06-20 17:00:00"),
        Field("end_reason", "结束原因", max_len=200, aliases=("endReason",), example="完成"),
        Field("feedback_time", "反馈时间", type="datetime", required=True, aliases=("feedbackTime",),
              example="2025-06-20 17:00:00"),
        Field("feedback_suggestion", "反馈意见", max_len=4000, required=True, aliases=("feedbackSuggestion",),
              example="已检查，未发现问题"),
        Field("local_task_number", "本地任务编号", max_len=50, example="LHRW-2025-0001"),
        Field("adm_inspection", "行政检查行为", type="list", aliases=("admInspection",),
              note="各项行政检查的编号、日期与结果"),
    )
    return Standard("joint_feedback", "联合监管任务反馈", "2019.1", fields, source=FEEDBACK_SOURCE,
                    aliases=("联合监管反馈", "feedbackUnitInfo"), outbound=True)


def audit_checkpoint() -> Standard:
    fields = (
        Field("signature", "签名", max_len=200, required=True, note="Ed25519 签名（Base64），兼作记录唯一标识",
              example="c2lnbmF0dXJl"),
        Field("seq", "序号", type="int", required=True, example=1),
        Field("hash", "链哈希", max_len=128, required=True, example="0" * 64),
        Field("made_at", "生成时间", type="datetime", required=True, example="2025-06-20 17:00:00"),
        Field("key_id", "密钥标识", max_len=64, required=True, example="k1"),
        Field("public_key", "公钥", max_len=200, example="cHVibGlj"),
        Field("scheme", "签名方案", max_len=50, example="ed25519"),
    )
    return Standard("audit_checkpoint", "审计链检查点", "1", fields, key="signature", source=CHECKPOINT_SOURCE,
                    aliases=("审计检查点",), outbound=True)
