"""Password rules of the platform beyond Django's: a password must not contain the person's username or the
product's name (jianguan, 监管, the configured site name), the first things an attacker tries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PRODUCT_NAMES = ("jianguan", "监管")
MIN_NAME_LENGTH = 3  # a username this short would refuse too many passwords by chance


def _product_names() -> list[str]:
    names = list(PRODUCT_NAMES)
    if settings.JIANGUAN_SITE_NAME:
        names.append(settings.JIANGUAN_SITE_NAME)
    return names


class NoOwnOrProductNameValidator:
    """Refuses a password that contains the username or the product's name, in any letter case."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = password.casefold()
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= MIN_NAME_LENGTH and username in folded:
            raise ValidationError(_("密码不能包含用户名"), code="password_contains_username")
        for name in _product_names():
            if name.casefold() in folded:
                raise ValidationError(_("密码不能包含平台名称“%(name)s”") % {"name": name},
                                      code="password_contains_product_name")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名或平台名称。")
