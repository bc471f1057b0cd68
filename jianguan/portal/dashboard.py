from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jianguan.accounts.models import User
from jianguan.core.registry import Card


def cards(request: HttpRequest) -> list[Card]:
    user = request.user
    if not isinstance(user, User):
        return []
    scope = user.scope
    reach = _("全部部门") if scope.department_ids is None else _("本部门及所指导部门 %(n)s 个") % {
        "n": len(scope.department_ids)}
    return [Card(title=_("我的工作范围"), value=user.department.region.name, order=0,
                 note=user.department.name,
                 rows=[(_("辖区区划"), str(len(scope.region_codes))), (_("可见部门"), reach)])]
