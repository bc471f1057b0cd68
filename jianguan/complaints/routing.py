"""Which department handles a complaint: the line by subject, the body by jurisdiction."""

from __future__ import annotations

from django.conf import settings

from jianguan.accounts.contracts import line_body
from jianguan.accounts.models import Department, DepartmentKind, Region

from .models import Category

# Subject → the line that handles it [config]; unlisted subjects go to 市场监管 (12315 is theirs).
LINES: dict[str, DepartmentKind] = {
         Category.FOOD: DepartmentKind.SCJG, Category.DRUG: DepartmentKind.SCJG, Category.PRICE: DepartmentKind.SCJG,
         Category.QUALITY: DepartmentKind.SCJG, Category.ADVERTISING: DepartmentKind.SCJG,
         Category.CONSUMER: DepartmentKind.SCJG, Category.ENVIRONMENT: DepartmentKind.STHJ,
         Category.SAFETY: DepartmentKind.YJ, Category.CONSTRUCTION: DepartmentKind.ZJ,
         Category.TRANSPORT: DepartmentKind.JTYS, Category.TOURISM: DepartmentKind.WHLY,
         Category.HEALTH: DepartmentKind.WJW, Category.AGRICULTURE: DepartmentKind.NYNC,
         Category.MEDICAL_INSURANCE: DepartmentKind.YB, Category.CITY: DepartmentKind.CGZF,
         Category.FINANCE: DepartmentKind.JR}


def assign(region: Region, category: str) -> Department:
    """The body of the subject's line at the county (or zone) of `region`; the city's when the county has none."""
    department = line_body(region=region, kind=LINES.get(category, DepartmentKind.SCJG))
    if department is not None:
        return department
    city = Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind=DepartmentKind.SCJG).first()
    assert city is not None, "every deployment has its locality's 市场监管 department (the seed and setup make it)"
    return city
