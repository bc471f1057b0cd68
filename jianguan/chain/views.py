"""The work portal's page of one entity: its facts and its information chain."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import render_page
from jianguan.credit import contracts as credit

from . import selectors


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def entity_chain(request: SignedInRequest, uscc: str) -> HttpResponse:
    known = selectors.kinds()
    wanted = {k for k in request.GET.getlist("kind") if k in known}
    since, until = _date(request.GET.get("since", "")), _date(request.GET.get("until", ""))
    chain = selectors.chain_get(reader=request.user, uscc=uscc, kinds_wanted=wanted or None, since=since,
                                   until=until)
    return render_page(request, "chain/entity.html", {"chain": chain, "entity": chain.entity, "wanted": wanted,
                                                      "since": since, "until": until,
                                                      "credit": credit.entity_panel(reader=request.user,
                                                                                    entity_id=chain.entity.id,
                                                                                    uscc=chain.entity.uscc)},
                       partial="timeline")
