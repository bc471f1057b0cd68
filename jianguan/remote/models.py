"""Non-on-site supervision (非现场监管, ADR 0057): the points that report (`MonitoredPoint`) with their factors and
limits (`Factor`), every delivery as received (`Receipt`, kept whatever became of it), the readings stored from
them (`Reading`, one per point, time, factor and period), one alarm state per point and rule (`AlarmState`, updated
atomically under a row lock and a version) with its history (`AlarmStep`), the officers' disposals
(`Disposal`), survey findings (`SurveyFinding`) and announced inspection windows (`AnnouncedWindow`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import Department, Region
from jianguan.core.models import TimeStamped
from jianguan.core.scoping import ScopedQuerySet
from jianguan.subjects.models import MarketEntity


class PointKind(models.TextChoices):
    POLLUTION = "pollution", _("污染源在线监测")
    COLD_CHAIN = "cold_chain", _("冷链与贮存温度")
    KITCHEN_VIDEO = "kitchen_video", _("明厨亮灶视频分析")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备传感器")
    FUEL_DISPENSER = "fuel_dispenser", _("加油机计量")
    SURVEY = "survey", _("卫星与无人机巡查")


class Scoped(models.Model):
    """A record of one department in one region, read through `ScopedQuerySet`."""

    department = models.ForeignKey(Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        abstract = True

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class MonitoredPoint(Scoped, TimeStamped):
    """A device or feed reporting about one object: `code` is the HJ 212 `MN` or the device's id; it supports one
    implementation row its department claims (照单监管) and reports every `interval_seconds`. Where it stands
    (`longitude`, `latitude`, WGS-84) locates its entity on the survey map; a survey point covers an area
    (`geometry`, a GeoJSON Polygon or MultiPolygon; ADR 0065). A deactivated point's data are refused."""

    code = models.CharField(_("监测点编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=PointKind.choices)
    entity = models.ForeignKey(MarketEntity, verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+")
    licence_number = models.CharField(_("许可证编号"), max_length=64, blank=True)
    implementation_code = models.CharField(_("检查实施清单编码"), max_length=64)
    interval_seconds = models.PositiveIntegerField(_("报送间隔（秒）"))
    password_hash = models.CharField(_("访问密码摘要"), max_length=64, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    geometry = models.JSONField(_("巡查范围（GeoJSON）"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    last_reading_at = models.DateTimeField(_("最近数据时间"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("最近通信时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测点")
        verbose_name_plural = _("监测点")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Factor(models.Model):
    """A factor a point reports (HJ 212 pollutant code, or a kind's own code such as `temp`, `no_hat`), its unit
    and its limits, each limit citing the standard or licence it comes from."""

    point = models.ForeignKey(MonitoredPoint, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(_("因子编码"), max_length=32)
    name = models.CharField(_("因子名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    lower = models.DecimalField(_("下限"), max_digits=14, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(_("上限"), max_digits=14, decimal_places=4, null=True, blank=True)
    basis = models.CharField(_("限值依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("监测因子")
        verbose_name_plural = _("监测因子")
        constraints = [models.UniqueConstraint(fields=["point", "code"], name="remote_factor_point_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReceiptStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已接收")
    PARTIAL = "partial", _("部分拒收")
    REFUSED = "refused", _("拒收")
    UNKNOWN = "unknown", _("设备未知或密码错误")
    MALFORMED = "malformed", _("报文格式错误")


class Receipt(models.Model):
    """One delivery (a frame, a message, an API batch) kept as received, with what became of it: nothing received
    is lost, and the refused and malformed are counted from here."""

    channel = models.CharField(_("通道"), max_length=10)
    device = models.CharField(_("设备标识"), max_length=64, blank=True)
    point = models.ForeignKey(MonitoredPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raw = models.BinaryField(_("原始报文"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=ReceiptStatus.choices)
    accepted = models.PositiveIntegerField(_("接收条数"), default=0)
    duplicates = models.PositiveIntegerField(_("重复条数"), default=0)
    refused = models.PositiveIntegerField(_("拒收条数"), default=0)
    problems = models.JSONField(_("问题"), default=list)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接收记录")
        verbose_name_plural = _("接收记录")
        indexes = [models.Index(fields=["status", "received_at"]), models.Index(fields=["point", "received_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.device} {self.get_status_display()}"


class Reading(models.Model):
    """One value of one factor at one time and period; the same reading sent again stores nothing new."""

    point = models.ForeignKey(MonitoredPoint, on_delete=models.PROTECT, related_name="+", db_index=False)
    code = models.CharField(_("因子编码"), max_length=32)
    at = models.DateTimeField(_("数据时间"))
    period = models.CharField(_("数据类型"), max_length=5)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4, null=True)
    flag = models.CharField(_("数据标记"), max_length=2, default="N")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")
        constraints = [models.UniqueConstraint(fields=["point", "at", "code", "period"],
                                               name="remote_reading_identity")]
        indexes = [models.Index(fields=["point", "code", "at"], name="remote_reading_series")]

    def __str__(self) -> str:
        return f"{self.point_id} {self.code} {self.at:%Y-%m-%d %H:%M} {self.value}"


class DisposalStatus(models.TextChoices):
    PENDING = "pending", _("待处置")
    NOTIFIED = "notified", _("已提醒告诫")
    CHECKED = "checked", _("已非现场检查")
    ONSITE = "onsite", _("已转现场检查")
    CLUE = "clue", _("已转案件线索")
    DISMISSED = "dismissed", _("误报")


class AlarmState(Scoped):
    """The one state of a rule on a point: `level` 0 is clear, above 0 an open alarm of that severity. Changed only
    under a row lock with `version` + 1, so two workers evaluating the same readings change it once."""

    point = models.ForeignKey(MonitoredPoint, on_delete=models.PROTECT, related_name="alarms")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("规则"), max_length=64)
    rule_version = models.CharField(_("规则版本"), max_length=32)
    title = models.CharField(_("告警"), max_length=200)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    episode = models.PositiveIntegerField(_("告警序次"), default=0)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    changed_at = models.DateTimeField(_("变更时间"))
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    evidence = models.JSONField(_("证据数据"), default=list)
    disposal = models.CharField(_("处置状态"), max_length=10, choices=DisposalStatus.choices,
                                default=DisposalStatus.PENDING)
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        constraints = [models.UniqueConstraint(fields=["point", "rule"], name="remote_alarm_point_rule")]
        indexes = [models.Index(fields=["department", "level"])]

    def __str__(self) -> str:
        return f"{self.point_id}/{self.rule}"


class AlarmStep(models.Model):
    """One change of an alarm: opened, escalated, stepped down, cleared (by the rules), or disposed (by an
    officer)."""

    alarm = models.ForeignKey(AlarmState, on_delete=models.PROTECT, related_name="steps")
    episode = models.PositiveIntegerField(_("告警序次"))
    action = models.CharField(_("变更"), max_length=30)
    old_level = models.PositiveSmallIntegerField(_("原级别"))
    new_level = models.PositiveSmallIntegerField(_("新级别"))
    actor_label = models.CharField(_("操作人"), max_length=200)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), default=dict)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("告警变更")
        verbose_name_plural = _("告警变更")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.action}"


class Disposal(Scoped):
    """What an officer made of an alarm: a 提醒/告诫 notice, a 非现场检查 (its 行政检查 number), an on-site task
    request, a clue (its number) or a false alarm."""

    alarm = models.ForeignKey(AlarmState, on_delete=models.PROTECT, related_name="disposals")
    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    episode = models.PositiveIntegerField(_("告警序次"))
    action = models.CharField(_("处置方式"), max_length=20)
    note = models.CharField(_("说明"), max_length=1000)
    inspection_number = models.CharField(_("行政检查编号"), max_length=50, blank=True)
    clue_number = models.CharField(_("案件线索编号"), max_length=50, blank=True)
    actor_label = models.CharField(_("处置人"), max_length=200)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("告警处置")
        verbose_name_plural = _("告警处置")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.action}"


class AnnouncedWindow(Scoped):
    """An inspection announced to an entity (from `starts_on` to `ends_on`): the falsification rule watches for a
    sudden drop of emissions in it. The spot-check and joint apps publish no per-entity notice dates, so the
    window is recorded here (ADR 0057)."""

    entity = models.ForeignKey(MarketEntity, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("通知日期"))
    ends_on = models.DateField(_("检查日期"))

    class Meta:
        verbose_name = _("已通知的检查")
        verbose_name_plural = _("已通知的检查")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.starts_on}–{self.ends_on}"


class SurveyFinding(Scoped, TimeStamped):
    """A change found by a satellite or drone survey: a GeoJSON polygon, matched to the entities of its region by
    address and to those whose located points lie inside it (the object library keeps no coordinates; ADR 0057,
    ADR 0065)."""

    source = models.CharField(_("来源"), max_length=100)
    observed_on = models.DateField(_("发现日期"))
    geometry = models.JSONField(_("范围（GeoJSON）"))
    address = models.CharField(_("地址"), max_length=300, blank=True)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    entities = models.ManyToManyField(MarketEntity, verbose_name=_("关联主体"), related_name="+", blank=True)
    match_note = models.CharField(_("关联方式"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")

    def __str__(self) -> str:
        return f"{self.source} {self.observed_on}"
