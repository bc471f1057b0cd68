"""Data exchange (数据交换): calls received from departments' systems and files, the outbox of records to push
upward, the batches pushed with their receipts, the repair queue and the daily quality snapshots.

- `ExchangeCall`: one intake (API call, file, or a fix in the repair queue), its body kept exactly as received
  (sealed, since records may carry natural persons' ID numbers) with its size, SHA-256 and outcome.
- `OutboxRecord`: one accepted record waiting to go upward, with its operation and version (catalog.md §7).
- `PushBatch`: a batch formed (numbered `yyyyMMdd` + 5 digits per source and day) and persisted before it is sent;
  re-sent with the same number until its receipt is stored, so the receiver's batch idempotency delivers each record
  exactly once.
- `KeptRecord`: a received record of a standard that has no library table (joint tasks, 双公示, the catalog
  tables), kept by its key and version like a behaviour record and pushed on like one.
- `RepairItem`: a record refused by our checks or by the receiver, waiting for its department to fix it.
- `QualitySnapshot`: a department's scores on the seven SAMR dimensions for one day.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.models import ApiClient, Department, Region, User
from jianguan.core.models import Intake
from jianguan.core.scoping import ScopedQuerySet


class Channel(models.TextChoices):
    API = "api", _("系统接口")
    UPLOAD = "upload", _("文件上传")
    REPAIR = "repair", _("整改重报")


class CallStatus(models.TextChoices):
    RECEIVED = "received", _("已收到，未处理完")
    ACCEPTED = "accepted", _("全部接收")
    PARTIAL = "partial", _("部分接收")
    REJECTED = "rejected", _("全部退回")
    REFUSED = "refused", _("拒收")
    FAILED = "failed", _("处理失败")


class ExchangeCall(Intake):
    """One call or file received, kept whole: `raw` holds the body sealed with the data key (`sealing.py`)."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.API)
    client = models.ForeignKey(ApiClient, verbose_name=_("接入系统"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("报送部门"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    source_system = models.CharField(_("报送系统"), max_length=64)
    standard = models.CharField(_("数据标准"), max_length=40)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    bytes = models.PositiveBigIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("结果"), max_length=10, choices=CallStatus.choices)
    error_code = models.CharField(_("拒收原因"), max_length=40, blank=True)
    received = models.PositiveIntegerField(_("收到记录"), default=0)
    accepted = models.PositiveIntegerField(_("接收记录"), default=0)
    duplicates = models.PositiveIntegerField(_("重复记录"), default=0)
    rejected = models.PositiveIntegerField(_("退回记录"), default=0)
    stored = models.BooleanField(_("存入信息库"), default=False)
    outcome = models.JSONField(_("处理结果"), default=dict)
    # Per department: {"<department id>": {"records": n, "failed": {dimension: n}}} — the input of the scores.
    tally = models.JSONField(_("质检统计"), default=dict)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta(Intake.Meta):
        verbose_name = _("数据交换调用")
        verbose_name_plural = _("数据交换调用")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["received_at"]), models.Index(fields=["department", "received_at"])]

    def __str__(self) -> str:
        return f"{self.standard} {self.received_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class Op(models.TextChoices):
    INSERT = "i", _("新增")
    UPDATE = "u", _("更新")
    DELETE = "d", _("删除")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待组批")
    BATCHED = "batched", _("已组批")
    ACCEPTED = "accepted", _("已接收")
    DUPLICATE = "duplicate", _("重复（已接收过）")
    REJECTED = "rejected", _("被退回")


class BatchStatus(models.TextChoices):
    FORMED = "formed", _("已组批")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("发送失败待重试")
    ACKNOWLEDGED = "acknowledged", _("已回执")
    REFUSED = "refused", _("被拒收")


UNACKNOWLEDGED = (BatchStatus.FORMED, BatchStatus.SENT, BatchStatus.RETRYING)


class BatchHealth(models.TextChoices):
    """How a batch fared, for the monitor: only a batch received whole is green."""

    OK = "ok", _("全部接收")
    PARTIAL = "partial", _("部分退回")
    FAILED = "failed", _("全部退回或拒收")
    RETRYING = "retrying", _("发送失败待重试")
    WAITING = "waiting", _("等待回执")


class PushBatch(models.Model):
    """A batch for the receiver. Its number and records are fixed when it is formed; it is re-sent as it is until a
    receipt is stored."""

    source = models.CharField(_("报送方编码"), max_length=64)
    number = models.CharField(_("批次号"), max_length=13)
    standard = models.CharField(_("数据标准"), max_length=40)
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.FORMED)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    next_try_at = models.DateTimeField(_("下次发送"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    formed_at = models.DateTimeField(_("组批时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("最近发送"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("回执时间"), null=True, blank=True)
    receipt = models.JSONField(_("回执"), null=True, blank=True)
    receipt_verified = models.BooleanField(_("回执签名已验证"), default=False)
    accepted = models.PositiveIntegerField(_("接收"), default=0)
    duplicates = models.PositiveIntegerField(_("重复"), default=0)
    rejected = models.PositiveIntegerField(_("退回"), default=0)

    class Meta:
        verbose_name = _("推送批次")
        verbose_name_plural = _("推送批次")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["source", "number"], name="push_batch_unique_number")]
        indexes = [models.Index(fields=["status", "next_try_at"]), models.Index(fields=["formed_at"])]

    def __str__(self) -> str:
        return f"{self.source}/{self.number}"

    @property
    def health(self) -> str:
        """ok only when the receipt refused nothing; partial when it refused some records, failed when it refused
        them all or the batch as a whole."""
        if self.status == BatchStatus.REFUSED:
            return BatchHealth.FAILED
        if self.status == BatchStatus.ACKNOWLEDGED:
            if not self.rejected:
                return BatchHealth.OK
            return BatchHealth.FAILED if self.rejected >= self.records else BatchHealth.PARTIAL
        return BatchHealth.RETRYING if self.status == BatchStatus.RETRYING else BatchHealth.WAITING

    def get_health_display(self) -> str:
        return str(BatchHealth(self.health).label)


class PushSequence(models.Model):
    """The last batch sequence used by a source on a day (the number restarts at 00001 each day)."""

    source = models.CharField(max_length=64)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "day"], name="push_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.source} {self.day} {self.last}"


class OutboxRecord(models.Model):
    """One record to push: what the receiver gets (`op`, `record_id`, `version`, `data`) and where it went."""

    standard = models.CharField(_("数据标准"), max_length=40)
    record_id = models.CharField(_("记录唯一标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    op = models.CharField(_("操作"), max_length=1, choices=Op.choices)
    data = models.JSONField(_("数据"), default=dict)
    department = models.ForeignKey(Department, verbose_name=_("实施机构"), on_delete=models.PROTECT,
                                   related_name="+")
    # Written 10,000 at a time by an intake: only the indexes the pusher and the monitor read.
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    source_system = models.CharField(_("报送系统"), max_length=64, blank=True)
    call = models.ForeignKey(ExchangeCall, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    batch = models.ForeignKey(PushBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(_("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    created_at = models.DateTimeField(_("入队时间"), default=timezone.now)
    done_at = models.DateTimeField(_("回执时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("待推送记录")
        verbose_name_plural = _("待推送记录")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "standard"]), models.Index(fields=["record_id"])]

    def __str__(self) -> str:
        return f"{self.standard} {self.record_id} v{self.version} {self.op}"


class KeptRecord(models.Model):
    """A received record of a standard without a library table (联合监管任务, 双公示 行政处罚 / 行政许可, the
    catalog tables), kept current by its key like a behaviour record: (sending system, 记录唯一标识 — the
    standard's key, e.g. 任务编号 —, version); `i` creates, a `u` with a higher version replaces `data`, a `d` marks it
    withdrawn. `data` is the record as pushed (ascii field ids, dictionary codes; a natural person's ID number
    sealed), `payload` the record as received (sealed likewise), and (`call`, `index`) where its body is kept."""

    standard = models.CharField(_("数据标准"), max_length=40)
    record_id = models.CharField(_("记录唯一标识"), max_length=64)
    version = models.PositiveIntegerField(_("版本"), default=1)
    source_system = models.CharField(_("报送系统"), max_length=64)
    department = models.ForeignKey(Department, verbose_name=_("报送部门"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    data = models.JSONField(_("数据"), default=dict)
    payload = models.JSONField(_("原始记录"), default=dict)
    call = models.ForeignKey(ExchangeCall, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    index = models.PositiveIntegerField(_("报文中的位置"), default=0)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("交换记录（无信息库表的标准）")
        verbose_name_plural = _("交换记录（无信息库表的标准）")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["standard", "record_id"], name="kept_record_unique_key")]
        indexes = [models.Index(fields=["department", "standard"])]

    def __str__(self) -> str:
        return f"{self.standard} {self.record_id} v{self.version}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class Origin(models.TextChoices):
    CHECK = "check", _("本平台质检")
    RECEIVER = "receiver", _("上级平台回执")


class RepairStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    FIXED = "fixed", _("已整改")
    DISMISSED = "dismissed", _("已作废")


class RepairItem(models.Model):
    """A record refused by our checks or the receiver's, in its department's queue until fixed (re-sent as `u`,
    version + 1) or dismissed."""

    department = models.ForeignKey(Department, verbose_name=_("责任部门"), on_delete=models.PROTECT,
                                   related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    standard = models.CharField(_("数据标准"), max_length=40)
    record_id = models.CharField(_("记录唯一标识"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    source_system = models.CharField(_("报送系统"), max_length=64, blank=True)
    payload = models.JSONField(_("记录内容"), default=dict)
    errors = models.JSONField(_("问题"), default=list)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RepairStatus.choices, default=RepairStatus.OPEN)
    call = models.ForeignKey(ExchangeCall, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PushBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    fixed_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    fixed_by = models.ForeignKey(User, verbose_name=_("整改人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    resolution = models.CharField(_("处理说明"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("待整改数据")
        verbose_name_plural = _("待整改数据")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["department", "status", "created_at"]),
                   models.Index(fields=["standard", "record_id", "status"])]

    def __str__(self) -> str:
        return f"{self.standard} {self.record_id or '—'} v{self.version}"

    def audit_jurisdiction(self) -> tuple[str, int]:
        return self.region_id, self.department_id


class QualitySnapshot(models.Model):
    """One department's quality scores for one standard on one day (0–100 on each SAMR dimension)."""

    day = models.DateField(_("日期"))
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+")
    standard = models.CharField(_("数据标准"), max_length=40)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    scores = models.JSONField(_("各维度得分"), default=dict)
    overall = models.FloatField(_("综合得分"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_department_field = "department_id"
    scope_region_field = "region_id"

    class Meta:
        verbose_name = _("数据质量快照")
        verbose_name_plural = _("数据质量快照")
        ordering = ["-day", "department_id"]
        constraints = [models.UniqueConstraint(fields=["day", "department", "standard"],
                                               name="quality_snapshot_unique_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.standard} {self.overall:.1f}"
