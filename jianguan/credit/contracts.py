"""What other apps may use of the credit library: importing credit records, the credit-risk class of entities in
the classification in force with approved manual adjustments applied, and the entity page's class panel (internal:
never for public pages, the public API or the exchange)."""

from __future__ import annotations

from .panel import EntityPanel as EntityPanel
from .panel import entity_panel as entity_panel
from .selectors import ClassCard as ClassCard
from .selectors import classes_of as classes_of
from .selectors import entity_class as entity_class
from .services import credit_import_json as credit_import_json
