"""Shared pieces of the organisation's commands."""

from __future__ import annotations

import getpass

from django.core.management.base import CommandError

from jianguan.core.actors import SystemActor

from ..models import Department


def department_by_code(uscc: str) -> Department:
    department = Department.objects.filter(uscc=uscc.strip().upper()).first()
    if department is None:
        raise CommandError(f"没有统一社会信用代码为 {uscc} 的部门")
    return department


def cli_actor() -> SystemActor:
    """The person at the terminal, as far as the operating system knows them."""
    return SystemActor(f"cli:{getpass.getuser()}")
