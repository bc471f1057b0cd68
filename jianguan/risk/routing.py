"""Which department an alert belongs to: the body of the model's line supervising the subject's region.

Ads, drugs, prescription drugs and devices sold online are supervised by 市场监管 (广告法 第六条; 药品管理法 第八条;
医疗器械监督管理条例 第三条). Illegal fundraising is the lead department's, 地方金融管理部门 (防范和处置非法集资条例
第五条、第二十一条): the alert goes to that body where one is configured for the region; where none is, it goes
to 市场监管 of the region with a note saying so, to be transferred (移送) rather than opened as a 市场监管 case.
"""

from __future__ import annotations

from jianguan.accounts.contracts import line_body
from jianguan.accounts.models import Department, DepartmentKind, Region

LINES = {"medical_ad": DepartmentKind.SCJG, "fundraising": DepartmentKind.JR, "drug_sales": DepartmentKind.SCJG,
         "rx_sales": DepartmentKind.SCJG, "device_sales": DepartmentKind.SCJG}
NO_LEAD = "未配置地方金融管理部门（非法集资牵头部门），由市场监管部门接收并移送"


def assign(region: Region, model: str) -> tuple[Department, str]:
    """(the department, a note when the line's body is missing) of an alert of `model` about `region`."""
    department = line_body(region=region, kind=LINES[model])
    if department is not None:
        return department, ""
    fallback = line_body(region=region, kind=DepartmentKind.SCJG)
    if fallback is None:
        fallback = Department.objects.filter(kind=DepartmentKind.SCJG).order_by("region__level", "pk").first()
    assert fallback is not None, "every deployment has a 市场监管 department"
    return fallback, NO_LEAD if model == "fundraising" else f"未配置{DepartmentKind(LINES[model]).label}"
