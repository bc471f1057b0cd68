"""The 双随机 joint-meeting office (联席会议办公室) that coordinates the city's plan:
`JIANGUAN_JOINT_OFFICE_DEPARTMENT`, a department's 统一社会信用代码 or a line code meaning that line's department
of `JIANGUAN_LOCALITY` (the 市场监管局 by default). Nothing here names a place."""

from __future__ import annotations

from django.conf import settings

from jianguan.accounts.models import Department
from jianguan.core.errors import ValidationFailed


def office_department() -> Department:
    value = settings.JIANGUAN_JOINT_OFFICE_DEPARTMENT
    rows = Department.objects.select_related("region")
    found = (rows.filter(uscc=value.upper()) if len(value) == 18
             else rows.filter(kind=value, region_id=settings.JIANGUAN_LOCALITY)).first()
    if found is None:
        raise ValidationFailed(f"未找到联合抽查联席会议办公室所在部门（JIANGUAN_JOINT_OFFICE_DEPARTMENT={value}）",
                               code="joint_office_unknown", field="office")
    return found
