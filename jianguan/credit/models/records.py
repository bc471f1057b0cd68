"""Credit records imported from their sources (the library's rows), with source and date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Region
from jianguan.core.models import Intake, TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class CreditKind(models.TextChoices):
    ABNORMAL = "abnormal", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")
    DISHONEST_DEBTOR = "dishonest_debtor", _("失信被执行人")
    JUDGMENT = "judgment", _("裁判文书")
    PENALTY_PUBLICITY = "penalty_publicity", _("行政处罚公示")
    LICENCE_PUBLICITY = "licence_publicity", _("行政许可公示")
    SAMPLING = "sampling", _("抽检结果")


class CreditImport(Intake):
    """One file or one API call of credit records, kept as received."""

    kind = models.CharField(_("类别"), max_length=20, choices=CreditKind.choices)
    source = models.CharField(_("来源"), max_length=100)

    class Meta(Intake.Meta):
        verbose_name = _("信用信息导入")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} {self.file_name}".strip()


class CreditRecord(TimeStamped):
    """One record of one source about one entity. Public information: scoped by the entity's region only."""

    kind = models.CharField(_("类别"), max_length=20, choices=CreditKind.choices)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=100)
    source_ref = models.CharField(_("来源编号"), max_length=100)
    date = models.DateField(_("日期"))
    title = models.CharField(_("事由"), max_length=300)
    authority = models.CharField(_("作出机关"), max_length=200, blank=True)
    detail = models.TextField(_("内容"), blank=True)
    ends_on = models.DateField(_("移出/届满日期"), null=True, blank=True)
    imported = models.ForeignKey(CreditImport, null=True, blank=True, on_delete=models.PROTECT, related_name="records")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        indexes = [models.Index(fields=["entity", "date"]), models.Index(fields=["kind", "date"])]
        constraints = [models.UniqueConstraint(fields=["kind", "source", "source_ref"], name="credit_record_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    def audit_jurisdiction(self) -> tuple[str, None]:
        return self.region_id, None


