"""What other apps may use of the knowledge base (ADR 0059): citations resolved to the provisions in force on a
date and the address of a provision's page. A higher app shows the links with the template filter
`{% load knowledge %}{{ text|law_links:day }}` and lists what it cites in its `citing.py`
(`core.registry.CitingSource`), read by the sweep that fills the index behind each article's "cited by"."""

from __future__ import annotations

from .citations import label_of as label_of
from .citations import parse as parse
from .resolving import Link as Link
from .resolving import cite_url as cite_url
from .resolving import resolve as resolve
