"""What other apps may use of the information chain: one entity's chain as a reader may see it, and the entries
that appear in it more than once (the consistency check)."""

from __future__ import annotations

from .selectors import chain_get as chain_get
from .selectors import duplicates as duplicates
