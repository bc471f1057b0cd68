"""What other apps may use of the object library: read-only cards of entities, looking one up as its reader may,
requiring one to exist (and be visible) before a record names it, registering a natural person, and the demo's
entity rows."""

from __future__ import annotations

from .api import EntityOut as EntityOut
from .cards import EntityCard as EntityCard
from .seed import entity_rows as entity_rows
from .selectors import entity_get as entity_get
from .services import person_register as person_register
from .services import require_entity as require_entity
from .services import require_ric as require_ric
