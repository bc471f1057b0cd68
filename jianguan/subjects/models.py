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
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["risk_class"]),
                   # a spot-check draw's pool: entities in business in code order, read from the index alone
                   models.Index(fields=["status", "uscc", "region", "risk_class"], name="entity_pool")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None


class FormerName(models.Model):
    """A name the entity was registered under before (曾用名)."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("曾用名"), max_length=200, db_index=True)
    used_until = models.DateField(_("使用至"))

    class Meta:
        verbose_name = _("曾用名")
        ordering = ["-used_until"]

    def __str__(self) -> str:
        return self.name


class RegistrationEventKind(models.TextChoices):
    ESTABLISHED = "established", _("设立登记")
    CHANGED = "changed", _("变更登记")
    RENAMED = "renamed", _("名称变更")
    CANCELLED = "cancelled", _("注销登记")
    REVOKED = "revoked", _("吊销营业执照")
    MOVED_OUT = "moved_out", _("迁出")


class RegistrationEvent(models.Model):
    """What the registration authority recorded about the entity (登记事项), for its information chain."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.CASCADE, related_name="registration_events")
    kind = models.CharField(_("登记类型"), max_length=20, choices=RegistrationEventKind.choices)
    date = models.DateField(_("日期"))
    detail = models.CharField(_("内容"), max_length=300, blank=True)
    authority = models.CharField(_("登记机关"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("登记事项")
        indexes = [models.Index(fields=["entity", "date"])]
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Licence(models.Model):
    """A licence the entity holds (许可证): type, number, scope, issuing body, validity."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.CASCADE, related_name="licences")
    licence_type = models.CharField(_("许可证类型"), max_length=100)
    number = models.CharField(_("许可证编号"), max_length=100)
    scope = models.TextField(_("许可范围"), blank=True)
    issued_by = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        indexes = [models.Index(fields=["entity", "valid_from"]), models.Index(fields=["licence_type"])]
        constraints = [models.UniqueConstraint(fields=["licence_type", "number"], name="licence_unique")]

    def __str__(self) -> str:
        return f"{self.licence_type} {self.number}"


class Person(models.Model):
    """A natural person who is a party (个人当事人): the ID number stored sealed, found by its keyed hash, shown
    masked (个人信息保护法; disclosure-credit.md §5)."""

    name = models.CharField(_("姓名"), max_length=50)
    id_sealed = models.TextField(_("证件号码（加密）"))
    id_lookup = models.CharField(max_length=64, unique=True)
    id_masked = models.CharField(_("证件号码"), max_length=18)
    region = models.ForeignKey("accounts.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("个人当事人")
        verbose_name_plural = _("个人当事人")

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


class ObjectKind(models.TextChoices):
    PRODUCT = "product", _("产品")
    PLACE = "place", _("场所")
    PROJECT = "project", _("项目")
    VEHICLE = "vehicle", _("车辆")
    EQUIPMENT = "equipment", _("设备")
    OTHER = "other", _("其他")


class SupervisedObject(TimeStamped):
    """Something inspected that is not an entity: a product, a place, a project, a vehicle, a device. It may belong
    to an entity."""

    kind = models.CharField(_("对象类型"), max_length=20, choices=ObjectKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    identifier = models.CharField(_("标识（编号、车牌、批号等）"), max_length=100)
    owner = models.ForeignKey(MarketEntity, verbose_name=_("所属市场主体"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_objects")
    region = models.ForeignKey("accounts.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("地址"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("监管对象（非市场主体）")
        constraints = [models.UniqueConstraint(fields=["kind", "identifier"], name="object_identifier_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}（{self.identifier}）"


class EntityTerm(models.Model):
    """A posting of the entity search index: one two-character gram of a name, former name, legal representative
    or address, as an integer (see `subjects.search`). Works alike on SQLite and PostgreSQL and finds any substring
    of two or more characters, which word segmentation and trigram indexes do not.

    No foreign-key constraint or entity index: postings are replaced by difference (old grams out, new grams in) on
    the composite key, and entities are never deleted (注销 and 吊销 are statuses).
    """

    pk = models.CompositePrimaryKey("term", "entity")
    term = models.BigIntegerField()
    entity = models.ForeignKey(MarketEntity, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")

    class Meta:
        verbose_name = _("主体检索索引")

    def __str__(self) -> str:
        return f"{chr(self.term >> 21)}{chr(self.term & 0x1FFFFF)} → {self.entity_id}"
