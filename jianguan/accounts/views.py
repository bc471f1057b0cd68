"""Work-portal pages of the organisation: the department directory and the people of a jurisdiction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianguan.core.http import page_of, role_required
from jianguan.core.roles import Role

from . import selectors
from .models import Region


@login_required
def org(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_list(reader=request.user)
    regions = {r.code: r for r in selectors.region_list(reader=request.user)}
    by_region: dict[str, list] = {}
    for department in departments:
        by_region.setdefault(department.region_id, []).append(department)
    groups = [(regions.get(code) or Region(code=code, name=code), items) for code, items in by_region.items()]
    return render(request, "accounts/org.html", {"groups": groups, "region_count": len(regions)})


@role_required(Role.SYSTEM_ADMIN, Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.LEADER)
def users(request: HttpRequest) -> HttpResponse:
    people = selectors.user_list(reader=request.user)
    return render(request, "accounts/users.html", {"page": page_of(request, people)})
