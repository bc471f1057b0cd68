"""What other apps may use of the information chain: one entity's chain as a reader may see it, and the entries
that appear in it more than once (the consistency check)."""

from __future__ import annotations

from .selectors import duplicates as duplicates
from .selectors import entity_chain as entity_chain
