"""What other apps may use of complaints and reports: reading one as its reader may, marking it converted into a
case clue, and the complaints about one subject in a period as a monitoring process reads them (number, date,
content; risk's complaint clusters), and which entities complaints point at since a day (spot checks' draws)."""

from __future__ import annotations

from .selectors import ComplaintNote as ComplaintNote
from .selectors import complaint_get as complaint_get
from .selectors import entities_complained_about as entities_complained_about
from .selectors import subject_complaint_list as subject_complaint_list
from .services import complaint_mark_converted as complaint_mark_converted
