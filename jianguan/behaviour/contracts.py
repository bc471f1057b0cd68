"""What other apps may use of the behaviour library: writing the national behaviour records of an inspection, a
penalty or a coercive measure, amending one as its next version, the 处罚种类 dictionary, the bulk look-up and
writes of records that arrive by the ten thousand (the exchange's intake), and the count of a department's
inspections of one form (the evaluation's joint share)."""

from __future__ import annotations

from .bulk import rows_by_key as rows_by_key
from .bulk import rows_write as rows_write
from .counts import inspections_of_form as inspections_of_form
from .services import PENALTY_KINDS as PENALTY_KINDS
from .services import coercion_record as coercion_record
from .services import inspection_record as inspection_record
from .services import penalty_record as penalty_record
from .services import record_amend as record_amend
