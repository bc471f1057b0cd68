"""Second factor (TOTP, RFC 6238, through django-otp) for the people who administer the platform or approve.

Who needs it is `SECOND_FACTOR_ROLES`, in this one place; whether it is enforced is
`JIANGUAN_REQUIRE_SECOND_FACTOR` (on unless debug). Such a person signs in with the password and then a 6-digit
code from an authenticator app; someone without a confirmed device is signed in only to enrol one (every other
page sends them to the enrolment page, the API refuses their session), and a bearer token needs the code too.
"""

from __future__ import annotations

from base64 import b32encode
from typing import cast

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianguan.core.actors import Person
from jianguan.core.roles import Role

# The head of a body (负责人) approves cases and coercive measures: the same protection as administrators.
# "head" by its value, so that this set stands whether or not `Role.HEAD` is defined yet.
SECOND_FACTOR_ROLES = frozenset({Role.SYSTEM_ADMIN.value, Role.DEPARTMENT_ADMIN.value, Role.DATA_ADMIN.value,
                                 "head"})


def required_for(user: object) -> bool:
    """Whether `user` must show a second factor (a person holding one of `SECOND_FACTOR_ROLES`, when enforced)."""
    # Only a `Person` (accounts' `User`) answers `is_person` True; the anonymous user and API clients stop there.
    return bool(settings.JIANGUAN_REQUIRE_SECOND_FACTOR and getattr(user, "is_person", False)
                and cast(Person, user).has_role(*SECOND_FACTOR_ROLES))


def confirmed_device(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def grouped_secret(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing into an authenticator app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def is_verified(request: object) -> bool:
    """Whether the signed-in person showed their second factor in the browser's current sign-in (django-otp's
    middleware keeps the device)."""
    user = getattr(request, "user", None)
    check = getattr(user, "is_verified", None)
    return bool(check and check())
