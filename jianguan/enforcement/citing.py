"""The 违反的规定 and 处罚依据 of cases, for the knowledge base's index of who cites each article
(`core.registry.CitingSource`, ADR 0059): each row carries the case's department and region, so that only those
who may read the case see it cited; the citation speaks for the day the case was received."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from jianguan.core.registry import CitingSource

from .models import Case


def sources() -> Iterator[CitingSource]:
    cases = Case.objects.exclude(basis="", violated="").order_by("pk").values_list(
        "pk", "number", "party_name", "violated", "basis", "received_on", "department_id", "region_id")
    for pk, number, party, violated, basis, received_on, department_id, region_code in cases.iterator(2000):
        yield CitingSource("enforcement", number, f"案件 {number} {party}", reverse("enforcement:case", args=[pk]),
                           f"{violated}；{basis}", received_on, department_id, region_code)
