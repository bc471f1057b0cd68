"""Domain errors with stable codes.

A service raises `DomainError` (or a subclass) with an English `code`, a Chinese `message` for people and,
where it applies, the `field` at fault. The API renders it as the one error envelope
`{"code", "message", "field", "extra"}`; the work portal shows the message beside the field.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused an operation."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra or {}

    def as_envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.extra:
            body["extra"] = self.extra
        return body


class ValidationFailed(DomainError):
    """Input broke a rule; `field` names it."""


class AccessDenied(DomainError):
    """The actor may see the record but may not do this to it."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """No such record in the actor's scope (whether it exists elsewhere is never revealed)."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "记录不存在或无权访问", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class InvalidTransition(DomainError):
    """A workflow step was asked for out of order."""

    status = 409
    code = "invalid_transition"
