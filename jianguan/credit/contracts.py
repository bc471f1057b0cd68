"""What other apps may use of the credit library: importing credit records, the publications of 行政处罚 ended early
by an approved credit repair (`publication_end_list`, ADR 0045), and the credit-risk class of entities
in the classification in force (internal: never for public pages, the public API or the exchange)."""

from __future__ import annotations

from .repair_selectors import PublicationEndCard as PublicationEndCard
from .repair_selectors import publication_end_list as publication_end_list
from .selectors import ClassCard as ClassCard
from .selectors import classes_of as classes_of
from .selectors import entity_class as entity_class
from .services import credit_import_json as credit_import_json
