"""`/discretion/`: the stored benchmarks, one benchmark's bands, and the administrators' import of a file
(checked whole; a refused file is shown with its rule and nothing is kept) (ADR 0060)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import DomainError
from jianguan.core.http import post_roles
from jianguan.core.roles import Role

from . import selectors, services


@post_roles(Role.SYSTEM_ADMIN, Role.DATA_ADMIN)
def benchmark_list(request: SignedInRequest) -> HttpResponse:
    error, stored = None, None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        try:
            stored = services.benchmark_import(actor=request.user, file_name=upload.name or "",
                                               data=upload.read(services.MAX_BYTES + 1))
        except DomainError as refused:
            error = f"{refused.message}（{refused.code}）"
    return render(request, "discretion/list.html", {
        "benchmarks": selectors.benchmark_list(), "error": error,
        "done": _("已载入 %(name)s") % {"name": stored} if stored else None,
        "may_import": request.user.has_role(Role.SYSTEM_ADMIN, Role.DATA_ADMIN)},
        status=400 if error else 200)


def benchmark_detail(request: SignedInRequest, benchmark_id: int) -> HttpResponse:
    stored = selectors.benchmark_get(pk=benchmark_id)
    if stored is None:
        raise Http404
    return render(request, "discretion/detail.html", {"stored": stored, "benchmark": selectors.checked(stored)})
