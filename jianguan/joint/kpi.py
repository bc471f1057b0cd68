"""The department evaluation's figure of joint supervision (`core.measures`): of a department's 行政检查 records in
the month, the share done as joint visits (进一次门、查多项事; `visits.visit_results_enter` writes each participant's
record with the form `JOINT_FORM`). Not a deadline but a share: "done" is joint, "due" is all its inspections."""

from __future__ import annotations

import datetime as dt

from jianguan.behaviour import contracts as behaviour
from jianguan.core.measures import Counts, Measure

JOINT_FORM = "联合检查"


def _joint(first: dt.date, last: dt.date) -> Counts:
    return behaviour.inspections_of_form(first=first, last=last, form=JOINT_FORM)


MEASURES = [Measure("joint_share", "联合检查占比", "本月行政检查中以部门联合检查方式开展的", _joint)]
