"""What other apps may use of the audit trail: recording an event in the caller's transaction, a target's
recorded history, and the signed checkpoint document that is pushed upward."""

from __future__ import annotations

from .checkpoints import document as checkpoint_document
from .selectors import payload_list as payload_list
from .services import record as record

__all__ = ["checkpoint_document", "payload_list", "record"]
