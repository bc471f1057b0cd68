"""Reads of redaction rules. The rules are the platform's (no department owns one): only their editors read
them, which the page checks."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import RedactionRule


def rule_list() -> QuerySet[RedactionRule]:
    """Every version of every custom rule, newest version of each code first."""
    return RedactionRule.objects.select_related("created_by").order_by("code", "-version")
