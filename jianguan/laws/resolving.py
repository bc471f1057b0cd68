"""Citations resolved against the versions in force on a date (ADR 0059): each cited provision's stable id, the
version that held it that day, and the page to open. A citation of a provision the knowledge base lacks falls back
to the nearest provision above it that it holds (a 项 of an article stored without its items: the article); a
citation of an article not held at all (or of a law not in force that day) is returned unresolved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from . import citations
from .models import Law, LawVersion, Provision
from .search import in_force


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    text: str
    pid: str  # the provision cited
    found: str  # the provision shown ("" when none is held)
    url: str
    status: str


def titles() -> dict[str, str]:
    """Every law's title (without 中华人民共和国) and short titles, to its slug."""
    names: dict[str, str] = {}
    for slug, title, short in Law.objects.values_list("slug", "title", "short_title"):
        names[citations.normal_title(title)] = slug
        names.update({s: slug for s in short.split("、") if s})
    return names


def cite_url(pid: str, *, on: dt.date | None = None) -> str:
    url = reverse("laws:provision", kwargs={"pid": pid})
    return f"{url}?on={on.isoformat()}" if on else url


def _prefixes(pid: str) -> list[str]:
    parts = pid.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 1, -1)]


def resolve(text: str, *, on: dt.date | None = None) -> list[Link]:
    """The citations in `text`, each with the provision in force on `on` (default today) it points to."""
    day = on or timezone.localdate()
    cites = citations.parse(text or "", titles())
    if not cites:
        return []
    wanted = {p for c in cites for p in _prefixes(c.pid)}
    versions = LawVersion.objects.filter(in_force(day, prefix=""), law__slug__in={c.slug for c in cites})
    held = dict(Provision.objects.filter(version__in=versions, pid__in=sorted(wanted)).values_list("pid", "status"))
    links = []
    for cite in cites:
        found = next((p for p in _prefixes(cite.pid) if p in held), "")
        links.append(Link(cite.start, cite.end, text[cite.start:cite.end], cite.pid, found,
                          cite_url(found, on=on) if found else "", held.get(found, "")))
    return links
