"""The dashboard tile of joint supervision: the repeat-visit monitor (entities visited by two departments within
`JIANGUAN_JOINT_REPEAT_DAYS` days, not jointly, in the reader's jurisdiction) and the visits merges saved."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.core.http import holds_role, reader_of
from jianguan.core.registry import Card
from jianguan.core.roles import Role

from . import metrics, selectors


def cards(request: HttpRequest) -> list[Card]:
    if not holds_role(request, Role.OFFICER, Role.HEAD, Role.LEADER):
        return []
    reader = reader_of(request)
    repeats = selectors.repeat_count(reader=reader, today=timezone.localdate())
    saved = selectors.visits_saved(reader=reader)
    month = metrics.month_share(reader=reader, today=timezone.localdate())
    return [Card(title=_("重复检查监测"), value=str(repeats), url=reverse("joint:metrics"), order=44,
                 note=_("%(days)s 天内两个部门分别检查同一主体") % {"days": settings.JIANGUAN_JOINT_REPEAT_DAYS},
                 rows=[(_("本月联合检查占比"), f"{month.share}%（{month.joint}/{month.visits}）"),
                       (_("合并减少的检查次数"), str(saved["saved"])),
                       (_("待决定的合并建议"), str(saved["proposed"]))])]
