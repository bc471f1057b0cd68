"""What other apps may use of the credit library: importing credit records, the credit-risk class of entities
in the classification in force (internal: never for public pages, the public API or the exchange), the 经营异常名录's
10 working-day listing clock and its entries due for a proposal to the 严重违法失信名单."""

from __future__ import annotations

from .abnormal import LISTING_WORKING_DAYS
from .abnormal_selectors import AbnormalCard as AbnormalCard
from .abnormal_selectors import abnormal_due_for_serious as abnormal_due_for_serious
from .selectors import ClassCard as ClassCard
from .selectors import classes_of as classes_of
from .selectors import entity_class as entity_class
from .services import credit_import_json as credit_import_json

ABNORMAL_LISTING_WORKING_DAYS = LISTING_WORKING_DAYS  # the 经营异常名录 listing clock, the spot checks' too
