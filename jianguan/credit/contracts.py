"""What other apps may use of the credit library: importing credit records, the credit-risk class of entities in
the classification in force with approved manual adjustments applied and the entity page's class panel (internal:
never for public pages, the public API or the exchange), of the 严重违法失信名单 the punishment flags in force
(`punishment_flags`) and the public entries (`serious_public_list`), the publications of 行政处罚 ended early by an
approved credit repair (`publication_end_list`, ADR 0045), a penalty's publication period (`penalty_publication`,
SAMR 令第45号 arts. 7, 14, read by disclosure), and the 经营异常名录's 10 working-day listing clock and
its entries due for a proposal to the 严重违法失信名单."""

from __future__ import annotations

from .abnormal import LISTING_WORKING_DAYS
from .abnormal_selectors import AbnormalCard as AbnormalCard
from .abnormal_selectors import abnormal_due_for_serious as abnormal_due_for_serious
from .panel import EntityPanel as EntityPanel
from .panel import entity_panel as entity_panel
from .repair_checks import penalty_publication as penalty_publication
from .repair_policy import Publication as Publication
from .repair_policy import add_months as add_months
from .repair_selectors import PublicationEndCard as PublicationEndCard
from .repair_selectors import publication_end_list as publication_end_list
from .selectors import ClassCard as ClassCard
from .selectors import class_letters as class_letters
from .selectors import class_members as class_members
from .selectors import classes_of as classes_of
from .selectors import entity_class as entity_class
from .selectors import in_force as in_force
from .serious_rules import MEASURES as MEASURES
from .serious_selectors import PublicEntry as PublicEntry
from .serious_selectors import punishment_flags as punishment_flags
from .serious_selectors import serious_public_list as serious_public_list
from .services import credit_import_json as credit_import_json

ABNORMAL_LISTING_WORKING_DAYS = LISTING_WORKING_DAYS  # the 经营异常名录 listing clock, the spot checks' too
