"""Organisation and jurisdiction: regions, departments, users and their roles, API clients.

- `Region`: the division tree (province → city → county-level → township), keyed by code (6-digit GB/T 2260
  for province, city and county; 9-digit 统计用区划代码 for townships). A 功能区 (development zone) is a region of
  its own under the city, with its own code, and writes its host county's code in GB/T 2260 fields (`gb2260`).
- `Department`: a body at one region (市场监管局 of 咸宁市, of 咸安区 …), with its 统一社会信用代码 and `kind`
  (the line it belongs to); `parent` is the body that guides it (the same line one level up).
- `User`: belongs to one department; `RoleGrant` rows give roles. Officers hold an `OfficerCredential` (执法证).
- `ApiClient` / `ApiKey`: other systems, with scopes.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.actors import ActorRef
from jianguan.core.models import TimeStamped
from jianguan.core.roles import ApiScope as ApiScope  # re-exported for the app's modules
from jianguan.core.roles import Role as Role
from jianguan.core.scoping import Scope


class RegionLevel(models.IntegerChoices):
    PROVINCE = 2, _("省级")
    CITY = 3, _("市级")
    COUNTY = 4, _("县级")
    TOWNSHIP = 5, _("乡镇/街道级")


class RegionKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("行政区")
    FUNCTIONAL_ZONE = "functional_zone", _("功能区")
    OTHER_UNIT = "other_unit", _("其他单位")  # farms, forest farms, parks listed as township-level units


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    kind = models.CharField(_("类别"), max_length=20, choices=RegionKind.choices, default=RegionKind.ADMINISTRATIVE)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    gb2260 = models.CharField(_("GB/T 2260 代码"), max_length=6)
    path = models.CharField(_("路径"), max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names: list[str] = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def subtree_codes(self) -> list[str]:
        return list(Region.objects.filter(path__startswith=self.path).values_list("code", flat=True))


class DepartmentKind(models.TextChoices):
    """The line a department belongs to; the same kind at a lower level is guided by the one above."""

    SCJG = "scjg", _("市场监督管理局")
    ZRZY = "zrzy", _("自然资源和规划局")
    STHJ = "sthj", _("生态环境局")
    JTYS = "jtys", _("交通运输局")
    WHLY = "whly", _("文化和旅游局")
    WJW = "wjw", _("卫生健康委员会")
    YJ = "yj", _("应急管理局")
    GA = "ga", _("公安局")
    ZJ = "zj", _("住房和城乡建设局")
    CGZF = "cgzf", _("城市管理执法委员会")
    NYNC = "nync", _("农业农村局")
    YB = "yb", _("医疗保障局")
    JR = "jr", _("地方金融工作局")
    SJJ = "sjj", _("政务服务和大数据管理局")
    FGW = "fgw", _("发展和改革委员会")
    SF = "sf", _("司法局")
    WBB = "wbb", _("机构编制委员会办公室")
    GOV_OFFICE = "zfb", _("人民政府办公室")
    ZONE = "zone", _("功能区管理委员会")
    TOWNSHIP = "township", _("乡镇综合行政执法机构")


class Department(TimeStamped):
    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("条线"), max_length=20, choices=DepartmentKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="departments")
    parent = models.ForeignKey("self", verbose_name=_("上级业务指导部门"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.pk




class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=username)


class User(AbstractBaseUser):
    username = models.CharField(_("用户名"), max_length=50, unique=True)
    full_name = models.CharField(_("姓名"), max_length=50)
    department = models.ForeignKey(Department, verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                   related_name="users")
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）"

    is_person = True

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @cached_property
    def scope(self) -> Scope:
        from .scoping import scope_for  # local: scoping reads models of this module

        return scope_for(self)

    def as_actor_ref(self) -> ActorRef:
        return ActorRef(kind="user", id=str(self.pk), label=f"{self.full_name}（{self.username}）",
                        department_id=self.department_id, region_code=self.department.region_id)

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.department.region_id, self.department_id

    # Django's auth machinery asks these of every user model.
    @property
    def is_staff(self) -> bool:
        return Role.SYSTEM_ADMIN in self.roles

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), default=timezone.now)

    class Meta:
        verbose_name = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class CredentialQuerySet(models.QuerySet["OfficerCredential"]):
    def valid_between(self, first: dt.date, last: dt.date) -> CredentialQuerySet:
        """The credentials not revoked and valid on some day of [first, last] (on `first` when the two are one)."""
        return self.filter(revoked_at=None, valid_from__lte=last, valid_to__gte=first)

    def valid_on(self, day: dt.date) -> CredentialQuerySet:
        """The credentials an officer may act under on `day`: not revoked, within their validity."""
        return self.valid_between(day, day)


class OfficerCredential(TimeStamped):
    """执法证: the number, who issued it, its validity, and what it covers."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="credentials")
    number = models.CharField(_("执法证号"), max_length=30, unique=True)
    issued_by = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    domains = models.JSONField(_("执法领域"), default=list)
    qualifications = models.JSONField(_("资格"), default=list)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        constraints = [models.CheckConstraint(condition=models.Q(valid_from__lte=models.F("valid_to")),
                                              name="credential_dates_ordered")]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to


class ApiClient(TimeStamped):
    """Another system (a department's own business system, the sharing platform) acting through the API."""

    name = models.CharField(_("系统名称"), max_length=100, unique=True)
    department = models.ForeignKey(Department, verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                   related_name="api_clients")
    scopes = models.JSONField(_("权限范围"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")

    def __str__(self) -> str:
        return self.name

    is_person = False

    def has_role(self, *roles: str) -> bool:
        return False

    @cached_property
    def scope(self) -> Scope:
        from .scoping import scope_for_department

        return scope_for_department(self.department, wide=False)

    def as_actor_ref(self) -> ActorRef:
        return ActorRef(kind="api_client", id=str(self.pk), label=f"接入系统：{self.name}",
                        department_id=self.department_id, region_code=self.department.region_id)

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.department.region_id, self.department_id


class ApiKey(models.Model):
    """A secret of an API client: shown once, stored as its SHA-256."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接入密钥")

    def __str__(self) -> str:
        return f"jgk_{self.prefix}_…"


class UserToken(models.Model):
    """A bearer token issued by `POST /api/v1/auth/token`: stored as its SHA-256, valid until `expires_at`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.expires_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed sign-ins of one account (`account:<username>`, existing or not, so a delay never tells whether a user
    exists) or of one source address (`address:<ip>`), and the time before which the next attempt is not checked."""

    key = models.CharField(max_length=200, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
