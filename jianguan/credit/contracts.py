"""What other apps may use of the credit library: importing credit-risk classes."""

from __future__ import annotations

from .services import credit_import_json as credit_import_json
