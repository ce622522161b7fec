"""Traceability and recall 追溯与召回 (TRC-2, TRC-1, TRC-4).

The trace itself reads the GSP sales records (`sales.SalesRecord`, TRC-1) forward — lot → customers — and the
purchasing receipts backward — lot → receipt → purchase order → supplier (selectors.py). This app's own rows are
the recall 召回 (TRC-2: 发现重大质量问题时召回):

- `RecallCampaign` 召回: reason, level (一级/二级/三级, 医疗器械召回管理办法), the affected lots (`RecallLot`);
  draft → open (launch: lots frozen, one `RecallTask` per customer who received them) → closed (every task done).
- `RecallTask` 召回任务: one customer to contact, with what was shipped to it per lot (`RecallTaskLot`) and what
  came back (`RecallRecovery`); open → contacted → done / unreachable.

Recall records are never deleted (PROTECT everywhere, TRC-4): they are the proof the recall reached everyone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import RecallLevel, RecallStatus, RecallTaskStatus

USER = settings.AUTH_USER_MODEL


class RecallCampaign(VersionedModel):
    """A recall campaign 召回 (TRC-2: 发现重大质量问题时，按追溯路径召回).

    Belongs to the unit that runs it (HQ quality department, typically) and is scoped to it. `launch` freezes
    the affected lots (inventory `hold`: never allocated again) and creates one task per customer who received
    them, with the shipped quantities from the GSP sales records; `close` needs every task closed. The
    reconciliation (shipped = recovered + outstanding, per lot; in stock beside it) is `selectors.reconciliation`.
    """

    number = models.CharField(_("召回编号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("负责单位"))
    title = models.CharField(_("召回名称"), max_length=200)
    reason = models.TextField(_("召回原因"), max_length=2000)
    level = models.CharField(_("召回级别"), max_length=2, choices=RecallLevel.choices, default=RecallLevel.LEVEL_2)
    lots = models.ManyToManyField("inventory.Lot", through="RecallLot", related_name="+", verbose_name=_("召回批次"))
    status = models.CharField(_("状态"), max_length=20, choices=RecallStatus.choices, default=RecallStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人"))
    launched_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("启动人")
    )
    launched_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("关闭人")
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_note = models.CharField(_("关闭说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("召回")
        verbose_name_plural = _("召回")
        ordering = ["-created_at", "-id"]
        permissions = [("launch_recallcampaign", "可启动召回"), ("close_recallcampaign", "可关闭召回")]
        indexes = [models.Index(fields=["status", "-created_at"], name="recall_status_created")]

    def __str__(self):
        return f"{self.number} {self.title}"


class RecallLot(models.Model):
    """A lot (or serial) affected by a recall; `held_by_recall` says the launch froze it (it was not held)."""

    campaign = models.ForeignKey(
        RecallCampaign, on_delete=models.PROTECT, related_name="recall_lots", verbose_name=_("召回")
    )
    lot = models.ForeignKey(
        "inventory.Lot", on_delete=models.PROTECT, related_name="recall_lots", verbose_name=_("批次")
    )
    held_by_recall = models.BooleanField(_("由召回冻结"), default=False)

    class Meta:
        verbose_name = _("召回批次")
        verbose_name_plural = _("召回批次")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "lot"], name="recall_lot_unique")]

    def __str__(self):
        return f"{self.campaign_id}:{self.lot_id}"


class RecallTaskQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A task is seen by the customer's store (and the units above it) and by the recall's own unit."""
        return super().visible_to(user) | self.filter(campaign__in=RecallCampaign.objects.visible_to(user))


class RecallTask(VersionedModel):
    """One customer to reach in a recall 召回任务 (TRC-2): who received the affected lots, how many.

    Scoped to the customer's store (its staff and sales rep work it) and to the recall's unit. `shipped_quantity`
    is the sum of the GSP sales records of the affected lots to this customer at launch; `recovered_quantity` what
    came back (never more than shipped, per lot: `RecallTaskLot`).
    """

    campaign = models.ForeignKey(RecallCampaign, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("召回"))
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("客户门店"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("客户")
    )
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    shipped_quantity = models.PositiveIntegerField(_("发货数量"), default=0)
    recovered_quantity = models.PositiveIntegerField(_("已收回数量"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=RecallTaskStatus.choices, default=RecallTaskStatus.OPEN)
    due_at = models.DateTimeField(_("须通知时限"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    contact_note = models.CharField(_("联系记录"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    close_note = models.CharField(_("完成/无法联系说明"), max_length=500, blank=True)

    objects = RecallTaskQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("phone", "address")
    reveal_permission = "customers.reveal_customer_contact"  # the roles that call customers

    class Meta:
        verbose_name = _("召回任务")
        verbose_name_plural = _("召回任务")
        ordering = ["campaign", "id"]
        permissions = [("work_recalltask", "可处理召回任务（联系客户、登记收回）")]
        constraints = [models.UniqueConstraint(fields=["campaign", "customer"], name="recall_task_customer_unique")]
        indexes = [models.Index(fields=["status", "due_at"], name="recall_task_status_due")]

    def __str__(self):
        return f"{self.campaign_id}:{self.customer_id}"

    @property
    def outstanding(self) -> int:
        return max(self.shipped_quantity - self.recovered_quantity, 0)


class RecallTaskLot(models.Model):
    """What one customer received of one affected lot (sum of its sales records) and what came back of it."""

    task = models.ForeignKey(RecallTask, on_delete=models.PROTECT, related_name="task_lots", verbose_name=_("召回任务"))
    lot = models.ForeignKey("inventory.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("批次"))
    shipped_quantity = models.PositiveIntegerField(_("发货数量"))
    recovered_quantity = models.PositiveIntegerField(_("已收回数量"), default=0)
    orders = models.CharField(_("销售订单"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("召回任务批次")
        verbose_name_plural = _("召回任务批次")
        ordering = ["task", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "lot"], name="recall_task_lot_unique")]

    def __str__(self):
        return f"{self.task_id}:{self.lot_id} {self.recovered_quantity}/{self.shipped_quantity}"

    @property
    def outstanding(self) -> int:
        return max(self.shipped_quantity - self.recovered_quantity, 0)


class RecallRecovery(models.Model):
    """One recovery 收回记录: a quantity of a lot back from the customer, who recorded it, and — when the goods
    were received into a warehouse's quarantine — the stock move that did it (TRC-3 signed)."""

    task = models.ForeignKey(
        RecallTask, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("召回任务")
    )
    lot = models.ForeignKey("inventory.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("批次"))
    quantity = models.PositiveIntegerField(_("收回数量"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("入库仓库"),
    )
    stock_move_id = models.PositiveBigIntegerField(_("库存流水 ID"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("召回收回记录")
        verbose_name_plural = _("召回收回记录")
        ordering = ["task", "recorded_at", "id"]

    def __str__(self):
        return f"{self.task_id}:{self.lot_id}×{self.quantity}"
