"""Custom redaction rules: checked, saved as a new version (audited), and compiled for the engine.

A pattern that does not compile, or that matches the empty string (it would hide nothing and match everywhere),
is refused naming the field and the rule. Built-in codes cannot be taken by a custom rule.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.validation import require, text

from . import engine, styles
from .models import RedactionRule

BUILT_IN_CODES = frozenset({rule.code for rule in engine.BUILT_IN} | {"third_party_name", "secret_field",
                                                                     "health_field", "manual"})
_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")
EDITORS = (Role.SYSTEM_ADMIN, Role.DATA_ADMIN)
# Texts a pattern is tried on: a zero-length match on any of them means it can match the empty string somewhere.
_EMPTY_PROBES = ("", "a", "张三 123", "湖北省咸宁市 0715-8123456\n")


def compiled(pattern: str, *, field: str = "pattern") -> re.Pattern[str]:
    """`pattern` compiled, or refused: `pattern_invalid` (with the compiler's reason) or `pattern_matches_empty`."""
    try:
        regex = re.compile(pattern)
    except re.error as error:
        raise ValidationFailed(f"“正则表达式”无法编译（{error.msg}，位置 {error.pos}），规则：正则表达式须合法",
                               code="pattern_invalid", field=field) from None
    empty = any(m.end() == m.start() for sample in _EMPTY_PROBES for m in regex.finditer(sample))
    require(not empty,
            "“正则表达式”可匹配空字符串，规则：正则表达式不得匹配空字符串（否则处处命中、什么也不隐去）",
            "pattern_matches_empty", field)
    return regex


def can_edit(actor: User) -> bool:
    """Whether `actor` may set redaction rules: a system or data administrator."""
    return bool(actor.is_authenticated and actor.has_role(*EDITORS))


@transaction.atomic
def rule_save(*, actor: User, code: Any, pattern: Any, kind: Any, description: Any,
              active: bool = True) -> RedactionRule:
    """A new version of the rule `code` (version 1 when new); the previous versions stay as they were."""
    if not can_edit(actor):
        raise AccessDenied("只有系统管理员或数据管理员可以设定隐去规则", code="forbidden_role")
    clean_code = text(code, "code", "规则代码", max_len=40)
    require(_CODE.fullmatch(clean_code), "“规则代码”应为小写字母开头的字母、数字或下划线（2–40 位）", "code_invalid",
            "code")
    require(clean_code not in BUILT_IN_CODES,
            f"“规则代码”{clean_code} 为内置规则所用，规则：自定义规则代码不得与内置规则相同", "code_reserved", "code")
    clean_pattern = text(pattern, "pattern", "正则表达式", max_len=500)
    compiled(clean_pattern)
    require(kind in styles.KINDS, "“隐去类别”应为：" + "、".join(styles.KIND_LABELS.values()), "kind_invalid", "kind")
    clean_description = text(description, "description", "说明", max_len=300)
    last = (RedactionRule.objects.select_for_update().filter(code=clean_code)
            .aggregate(last=Max("version"))["last"] or 0)
    row = RedactionRule.objects.create(code=clean_code, version=last + 1, pattern=clean_pattern, kind=str(kind),
                                       description=clean_description, active=bool(active), created_by=actor)
    record(actor=actor, verb="redaction.rule_saved", target=row,
           data={"code": row.code, "version": row.version, "pattern": row.pattern, "kind": row.kind,
                 "active": row.active})
    return row


def in_force() -> list[RedactionRule]:
    """The newest version of each code, where it is active."""
    newest: dict[str, RedactionRule] = {}
    for row in RedactionRule.objects.order_by("code", "-version"):
        newest.setdefault(row.code, row)
    return [row for row in newest.values() if row.active]


def engine_rules(rows: list[RedactionRule]) -> list[engine.Rule]:
    return [engine.Rule(row.code, row.kind, compiled(row.pattern)) for row in rows]
