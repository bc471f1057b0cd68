"""The request of a signed-in page, as a type: what `login_required` guarantees of `request.user`."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    """A request to a page behind `login_required` (or `core.http.role_required`): its `user` is a person of a
    department (`User`), never the anonymous user."""

    user: User
