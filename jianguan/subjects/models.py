"""The object library's core: market entities keyed by 统一社会信用代码.

The foundation holds what every later part needs to find and scope an entity: code, name, type, region,
industry, status and a credit-risk class. The object-library issue adds former names, licences, persons and
non-entity objects beside it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet


class EntityType(models.TextChoices):
    """Position 2 of a USCC issued by market regulation (登记管理部门 9)."""

    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    OTHER = "other", _("其他组织")


class EntityStatus(models.TextChoices):
    ACTIVE = "active", _("存续")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")
    MOVED_OUT = "moved_out", _("迁出")


class RiskClass(models.TextChoices):
    """Credit-risk class A (low) … D (high); assigned by the credit issue, seeded for the demo."""

    A = "A", _("A 类（信用风险低）")
    B = "B", _("B 类（信用风险一般）")
    C = "C", _("C 类（信用风险较高）")
    D = "D", _("D 类（信用风险高）")


class Industry(models.Model):
    """A GB/T 4754-2017 class: section letter plus 2-, 3- or 4-digit code."""

    code = models.CharField(_("行业代码"), max_length=4, primary_key=True)
    section = models.CharField(_("门类"), max_length=1)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("国民经济行业分类")
        verbose_name_plural = _("国民经济行业分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.section}{self.code} {self.name}"


class MarketEntityQuerySet(ScopedQuerySet):
    pass


class MarketEntity(TimeStamped):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    entity_type = models.CharField(_("主体类型"), max_length=20, choices=EntityType.choices)
    enterprise_type = models.CharField(_("企业类型"), max_length=60, blank=True)
    legal_representative = models.CharField(_("法定代表人（负责人、经营者）"), max_length=50)
    registered_address = models.CharField(_("住所（经营场所）"), max_length=300)
    region = models.ForeignKey("accounts.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="+")
    industry = models.ForeignKey(Industry, verbose_name=_("行业"), on_delete=models.PROTECT, related_name="+")
    established_on = models.DateField(_("成立日期"))
    registered_capital = models.DecimalField(_("注册资本（万元）"), max_digits=14, decimal_places=2, null=True,
                                             blank=True)
    status = models.CharField(_("登记状态"), max_length=20, choices=EntityStatus.choices,
                              default=EntityStatus.ACTIVE)
    risk_class = models.CharField(_("信用风险分类"), max_length=1, choices=RiskClass.choices, blank=True)

    objects = MarketEntityQuerySet.as_manager()

    # The object library belongs to no department: every supervising body sees the entities of its jurisdiction.
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["uscc"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["risk_class"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None
