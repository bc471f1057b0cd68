"""Pages of non-on-site supervision: the department's monitoring board, a point with its readings charted against
its limits and alarm spans, the alarm queue (a list that reads on a phone) and one alarm with the disposal steps
open to the reader."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.charts import bar_chart
from jianguan.core.errors import DomainError
from jianguan.core.http import page_of, role_required
from jianguan.core.roles import Role
from jianguan.core.workflow import acts_for
from jianguan.subjects.models import MarketEntity

from . import charts, disposal, kpi, registration, selectors
from .maps import Marker, Shape, svg_map
from .models import MonitoredPoint, PointKind, SurveyFinding
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
    area = svg_map([Shape(point.name, point.geometry, reverse("remote:point", args=[point.pk]), "point")]
                   if point.geometry else [], [], title=_("巡查范围"))
    return render(request, "remote/point.html", {"point": point, "factors": factors, "alarms": alarms,
                                                 "online": selectors.online(point), "area": area})


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


def _form_write[T](write: Callable[[], T]) -> tuple[T | None, dict[str, str] | None]:
    """A page form's write: (its result, None), or (None, the refusal as the form shows it: the field's label, the
    rule's message and its code); a 404 is not the form's to show."""
    try:
        return write(), None
    except DomainError as refused:
        if refused.status == 404:
            raise
        return None, {"field": refused.field or "", "label": registration.label_of(refused.field or ""),
                      "message": refused.message, "code": refused.code}


@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def point_new(request: SignedInRequest) -> HttpResponse:
    """Register a point of the reader's own department; a refusal is shown beside its field, nothing stored."""
    department = request.user.department
    error = None
    if request.method == "POST":
        point, error = _form_write(lambda: registration.point_from_form(
            actor=request.user, department=department, data=request.POST, files=request.FILES))
        if point is not None:
            messages.success(request, _("监测点已登记"))
            return redirect("remote:point", point_id=point.pk)
    values = request.POST if request.method == "POST" else {"object_kind": "uscc", "interval_seconds": "3600"}
    factor_rows = [{name: values.get(f"factor-{i}-{name}", "") for name in registration.FACTOR_FIELDS} | {"i": i}
                   for i in range(registration.FACTOR_ROWS)]
    return render(request, "remote/point_form.html", {
        "department": department, "rows": registration.claimed_rows(department), "kinds": PointKind.choices,
        "object_kinds": registration.OBJECT_KINDS, "values": values, "factor_rows": factor_rows, "error": error},
        status=400 if error else 200)


@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def point_edit(request: SignedInRequest, point_id: int) -> HttpResponse:
    """Change or deactivate a point of the reader's own department (404 outside their scope, 403 for another
    department's point they may read)."""
    point = selectors.point_get(reader=request.user, point_id=point_id)
    if not acts_for(request.user, point.department_id, Role.DEPARTMENT_ADMIN, Role.OFFICER):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        changed, error = _form_write(lambda: registration.point_change_from_form(
            actor=request.user, point=point, data=request.POST, files=request.FILES))
        if changed is not None:
            messages.success(request, _("监测点已修改"))
            return redirect("remote:point", point_id=point.pk)
    values = request.POST if request.method == "POST" else {
        "name": point.name, "interval_seconds": point.interval_seconds, "longitude": point.longitude or "",
        "latitude": point.latitude or "", "active": "on" if point.active else ""}
    return render(request, "remote/point_edit.html", {"point": point, "values": values, "error": error},
                  status=400 if error else 200)


def _markers(request: SignedInRequest, entities: dict[int, MarketEntity]
             ) -> tuple[list[Marker], list[MarketEntity]]:
    """Markers of the entities located by the points the reader sees, and the entities left unlocated."""
    places = selectors.entity_places(reader=request.user, entity_ids=entities)
    markers = [Marker(entity.name, *places[pk], reverse("chain:entity", args=[entity.uscc]))
               for pk, entity in entities.items() if pk in places]
    return markers, [entity for pk, entity in entities.items() if pk not in places]


def _finding_shape(finding: SurveyFinding) -> Shape:
    label = f"{finding.source} {finding.observed_on:%Y-%m-%d} {finding.address}".strip()
    return Shape(label, finding.geometry, reverse("remote:finding", args=[finding.pk]))


@login_required
def survey_map(request: SignedInRequest) -> HttpResponse:
    """A department's survey findings and survey areas on a map with the matched entities (the reader's own
    department unless another one they see is chosen)."""
    own = request.user.department_id
    departments = selectors.survey_departments(reader=request.user, own=own)
    chosen = request.GET.get("department") or (str(own) if own else "")
    department = next((d for d in departments if str(d.pk) == chosen), None)
    if department is None and chosen:
        raise Http404
    findings: list[SurveyFinding] = []
    areas: list[MonitoredPoint] = []
    if department is not None:
        findings = list(selectors.finding_list(reader=request.user, department_id=department.pk))
        areas = list(selectors.point_list(reader=request.user, kind=PointKind.SURVEY)
                     .filter(department_id=department.pk, geometry__isnull=False))
    entities = {e.pk: e for f in findings for e in f.entities.all()} | {p.entity_id: p.entity for p in areas}
    markers, unlocated = _markers(request, entities)
    shapes = [Shape(f"{p.code} {p.name}", p.geometry, reverse("remote:point", args=[p.pk]), "point")
              for p in areas if p.geometry] + [_finding_shape(f) for f in findings]
    title = _("巡查发现地图")
    return render(request, "remote/map.html", {
        "departments": departments, "department": department, "findings": findings, "areas": areas,
        "map": svg_map(shapes, markers, title=str(title)), "unlocated": unlocated, "located": len(markers)})


@role_required(Role.DEPARTMENT_ADMIN, Role.OFFICER)
def finding_new(request: SignedInRequest) -> HttpResponse:
    """Record a survey finding of the reader's own department; matched to entities by address and place."""
    department = request.user.department
    error = None
    if request.method == "POST":
        finding, error = _form_write(lambda: registration.finding_from_form(
            actor=request.user, department=department, data=request.POST, files=request.FILES))
        if finding is not None:
            messages.success(request, finding.match_note)
            return redirect("remote:finding", finding_id=finding.pk)
    return render(request, "remote/finding_form.html", {"department": department, "values": request.POST,
                                                        "error": error}, status=400 if error else 200)


@login_required
def finding_detail(request: SignedInRequest, finding_id: int) -> HttpResponse:
    finding = selectors.finding_get(reader=request.user, finding_id=finding_id)
    entities = {e.pk: e for e in finding.entities.all()}
    markers, unlocated = _markers(request, entities)
    return render(request, "remote/finding.html", {
        "finding": finding, "entities": entities.values(), "unlocated": unlocated,
        "map": svg_map([_finding_shape(finding)], markers, title=_("巡查发现"))})
