"""`jianguan apiclient create …` / `key …` — register another system and issue its API keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianguan.accounts import services
from jianguan.accounts.management import cli_actor, department_by_code
from jianguan.accounts.models import ApiClient
from jianguan.core.errors import DomainError
from jianguan.core.roles import ApiScope


class Command(BaseCommand):
    help = "接入系统：create 登记外部系统并签发密钥；key 为已登记的系统再签发一个密钥（密钥只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="register a system and issue its first key")
        create.add_argument("name")
        create.add_argument("--department", required=True, help="所属部门的统一社会信用代码")
        create.add_argument("--scope", action="append", choices=ApiScope.values, required=True, help="权限范围，可重复")
        key = sub.add_parser("key", help="issue another key for a registered system")
        key.add_argument("name")

    def handle(self, *args: Any, action: str, name: str, **options: Any) -> None:
        actor = cli_actor()
        try:
            if action == "create":
                client = services.api_client_create(actor=actor, name=name,
                                                    department=department_by_code(options["department"]),
                                                    scopes=options["scope"])
            else:
                found = ApiClient.objects.filter(name=name, is_active=True).first()
                if found is None:
                    raise CommandError(f"没有名为 {name} 的接入系统")
                client = found
            raw = services.api_key_issue(actor=actor, client=client)
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from None
        self.stdout.write(self.style.SUCCESS(f"接入系统：{client.name}（{client.department.name}），权限：{'、'.join(client.scopes)}"))
        self.stdout.write(f"密钥（只显示这一次，请用请求头 X-API-Key 发送）：{raw}")
