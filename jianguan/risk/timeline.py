"""Risk alerts in an entity's information chain, within the reader's scope: the model, band and score, where the
verification stands and, once decided 立案, the clue it became."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery, chain_rows

from .models import Alert, AlertStatus, RiskModel

KINDS = {"risk_alert": _("风险预警")}
FIELDS = ("pk", "created_at", "model", "window", "band", "score", "status", "clue_number", "department__name")


def _detail(row: dict[str, object], statuses: dict[str, str]) -> str:
    detail = f"{row['band']}色预警，风险分值 {row['score']}；{statuses[str(row['status'])]}"
    return f"{detail}，案件线索 {row['clue_number']}" if row["clue_number"] else detail


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    if not query.wants("risk_alert"):
        return [], {}
    rows, count = chain_rows(Alert.objects, query, date_field="created_at", fields=FIELDS,
                             period_lookup="created_at__date")
    models, statuses = dict(RiskModel.choices), {k: str(v) for k, v in AlertStatus.choices}
    return [ChainEntry("risk_alert", str(KINDS["risk_alert"]), timezone.localtime(row["created_at"]).date(),
                       f"{models[row['model']]}（{row['window']}）", _detail(row, statuses),
                       source=str(_("风险预警模型")), department=row["department__name"],
                       url=reverse("risk:detail", args=[row["pk"]]), ref=f"risk_alert:{row['pk']}")
            for row in rows], {"risk_alert": count}
