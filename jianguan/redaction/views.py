"""The custom redaction rules page of the work portal: system and data administrators only (reading and saving)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import attempt, role_required

from . import rules, selectors, styles
from .engine import BUILT_IN


@role_required(*rules.EDITORS)
def rules_page(request: SignedInRequest) -> HttpResponse:
    """The rules in force, every version, and the form that saves a new version (or retires a code)."""
    if request.method == "POST":
        post = request.POST
        attempt(request, lambda: rules.rule_save(
            actor=request.user, code=post.get("code", ""), pattern=post.get("pattern", ""),
            kind=post.get("kind", ""), description=post.get("description", ""), active=post.get("active") == "on"),
            _("隐去规则已保存为新版本。"))
        return redirect("redaction:rules")
    return render(request, "redaction/rules.html", {
        "versions": selectors.rule_list()[:200], "in_force": rules.in_force(),
        "built_in": sorted({rule.code for rule in BUILT_IN} | {"third_party_name", "secret_field", "health_field"}),
        "kinds": styles.KIND_LABELS.items()})
