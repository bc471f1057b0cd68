"""`jianguan user create …` — create a user from the command line (the first administrator of a deployment);
`jianguan user grant USERNAME --role head` — grant a role to an existing user."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.accounts import services
from jianguan.accounts.management import cli_actor, department_by_code
from jianguan.accounts.models import User
from jianguan.core.errors import DomainError
from jianguan.core.roles import Role


class Command(BaseCommand):
    help = "用户：create 新建用户（密码从终端输入，或取自环境变量 JIANGUAN_NEW_PASSWORD）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--full-name", required=True, help="姓名")
        create.add_argument("--department", required=True, help="所属部门的统一社会信用代码")
        create.add_argument("--role", action="append", choices=Role.values, default=[], help="角色，可重复")
        grant = sub.add_parser("grant", help="grant roles to an existing user")
        grant.add_argument("username")
        grant.add_argument("--role", action="append", choices=Role.values, required=True, help="角色，可重复")

    def handle(self, *args: Any, action: str, username: str, role: list[str], **options: Any) -> None:
        if action == "grant":
            self.grant(username, role)
            return
        full_name, department = options["full_name"], options["department"]
        found = department_by_code(department)
        password = os.environ.get("JIANGUAN_NEW_PASSWORD") or getpass.getpass("密码：")
        try:
            user = services.user_create(actor=cli_actor(), username=username, full_name=full_name, department=found,
                                        password=password, roles=role)
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        self.stdout.write(self.style.SUCCESS(f"已创建用户 {user}，部门 {found.name}，角色 {'、'.join(role) or '无'}"))

    def grant(self, username: str, roles: list[str]) -> None:
        user = User.objects.filter(username=username).select_related("department").first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        try:
            for role in roles:
                services.role_grant(actor=cli_actor(), user=user, role=role)
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        self.stdout.write(self.style.SUCCESS(f"已授予 {user} 角色 {'、'.join(roles)}"))
