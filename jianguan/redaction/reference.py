"""The definition the engine is held to: every rule over the whole of every field by `re.finditer` on the
pattern's text, and each other person's name as a pattern of its own. Slow and plain; tests require the engine
to make the same masks, and the benchmark measures the engine against it."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from . import engine
from .masks import Mask, merge


def find(fields: Mapping[str, str], *, persons: Sequence[str] = (), party: str = "",
         secret_fields: Collection[str] = (), custom: Sequence[engine.Rule] = ()) -> list[Mask]:
    """The merged masks of `fields`, found the plain way."""
    found: list[Mask] = []
    for name, text in fields.items():
        if not text:
            continue
        if name in secret_fields or engine.is_health_field(name):
            code, kind = ("secret_field", "secret") if name in secret_fields else ("health_field", "health")
            found.append(Mask(name, 0, len(text), code, kind))
            continue
        for rule in (*engine.BUILT_IN, *custom):
            for match in re.finditer(rule.regex.pattern, text):
                start, end = match.span(rule.group)
                if end > start and (rule.check is None or rule.check(text[start:end])):
                    found.append(Mask(name, start, end, rule.code, rule.kind))
        kept = party.strip()
        party_spans = [(m.start(), m.start() + len(kept)) for m in re.finditer(f"(?={re.escape(kept)})", text)
                       ] if kept else []
        for person in {p.strip() for p in persons if len(p.strip()) >= 2 and p.strip() != party.strip()}:
            for match in re.finditer(f"(?={re.escape(person)})", text):
                start, end = match.start(), match.start() + len(person)
                if not any(a <= start and end <= b for a, b in party_spans):
                    found.append(Mask(name, start, end, "third_party_name", "person_name"))
    return merge(found)
