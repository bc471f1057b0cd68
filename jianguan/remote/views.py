"""Pages of non-on-site supervision: the department's monitoring board, a point with its readings charted against
its limits and alarm spans, the alarm queue (a list that reads on a phone) and one alarm with the disposal steps
open to the reader."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.charts import bar_chart
from jianguan.core.errors import DomainError
from jianguan.core.http import page_of, role_required
from jianguan.core.roles import Role

from . import charts, disposal, kpi, selectors
from .workflow import DISPOSAL, Facts

FIELDS = ("notice", "note", "result", "colleague")


@login_required
def board(request: SignedInRequest) -> HttpResponse:
    figures = selectors.board(reader=request.user)
    chart = bar_chart([(_("级别 %(level)s") % {"level": level}, count) for level, count in figures["levels"]],
                      title=_("未消除告警（按级别）"))
    now = timezone.now()
    points = [(p, selectors.online(p, now)) for p in figures["points"]]
    first, last = kpi.span(None, None)
    metrics = kpi.figures(reader=request.user, first=first, last=last)
    return render(request, "remote/board.html", {**figures, "chart": chart, "rows": points, "metrics": metrics})


@login_required
def point_detail(request: SignedInRequest, point_id: int) -> HttpResponse:
    point = selectors.point_get(reader=request.user, point_id=point_id)
    series = selectors.readings_of(point)
    alarms = list(selectors.alarm_list(reader=request.user, open_only=False, point_id=point.pk))
    spans = [(a.opened_at, a.changed_at if a.level == 0 else timezone.now()) for a in alarms if a.opened_at]
    factors = [(f, charts.line_chart(series.get(f.code, []), title=f"{f.name}（{f.unit}）",
                                     limits=(f.lower, f.upper), spans=spans))
               for f in point.factors.order_by("code")]
    return render(request, "remote/point.html", {"point": point, "factors": factors, "alarms": alarms,
                                                 "online": selectors.online(point)})


@login_required
def alarm_queue(request: SignedInRequest) -> HttpResponse:
    everything = request.GET.get("all") == "1"
    alarms = selectors.alarm_list(reader=request.user, open_only=not everything)
    return render(request, "remote/queue.html", {"page": page_of(request, alarms), "all": everything})


@login_required
def alarm_detail(request: SignedInRequest, alarm_id: int) -> HttpResponse:
    alarm = selectors.alarm_get(reader=request.user, alarm_id=alarm_id)
    facts = Facts(state=alarm.disposal, actor=request.user, department_id=alarm.department_id, level=alarm.level,
                  evidence=len(alarm.evidence))
    return render(request, "remote/alarm.html", {"alarm": alarm, "actions": DISPOSAL.allowed(facts),
                                                 "steps": alarm.steps.all(), "disposals": alarm.disposals.all()})


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def alarm_act(request: SignedInRequest, alarm_id: int) -> HttpResponse:
    selectors.alarm_get(reader=request.user, alarm_id=alarm_id)
    data: dict[str, object] = {name: request.POST.get(name, "") for name in FIELDS}
    data["officers"] = [o for o in request.POST.getlist("officers") if o]
    try:
        disposal.alarm_transition(actor=request.user, alarm_id=alarm_id, action=request.POST.get("action", ""),
                                  data=data)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    return redirect("remote:alarm", alarm_id=alarm_id)
