"""What other apps may use of complaints and reports: reading one as its reader may, and marking it converted
into a case clue."""

from __future__ import annotations

from .selectors import complaint_get as complaint_get
from .services import complaint_mark_converted as complaint_mark_converted
