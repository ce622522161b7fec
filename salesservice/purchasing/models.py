"""Purchasing: requisitions, purchase orders / contracts, and receipts with their receiving inspection.

- `PurchaseRequisition` 采购申请: a unit asks for goods; approved requisitions are turned into orders.
- `PurchaseOrder` 采购订单/采购合同 (SUP-2, SUP-4, SUP-5): to one supplier on the qualified supplier list,
  stating the quality standard, acceptance method and return/exchange terms; approved by amount; each
  line tracked for on-time, in-quality and in-quantity delivery.
- `Receipt` 入库验收单 (SUP-6, SUP-7, PRD-3): goods received against an approved order land in quarantine
  with their lot / serial numbers and dates, are inspected per line against the product's acceptance
  standard (partial acceptance), and the accepted quantity is put away. Never deleted (TRC-4).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import CheckResult, OrderStatus, ReceiptStatus, RequisitionStatus

USER = settings.AUTH_USER_MODEL


class PurchaseRequisition(VersionedModel):
    """A purchase requisition 采购申请 from a unit (scoped to it, INF-1)."""

    number = models.CharField(_("申请单号"), max_length=30, unique=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="purchase_requisitions", verbose_name=_("申请单位")
    )
    reason = models.TextField(_("申请理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequisitionStatus.choices, default=RequisitionStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见/理由"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("采购申请")
        verbose_name_plural = _("采购申请")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_purchaserequisition", "可审批采购申请")]

    def __str__(self):
        return self.number


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        PurchaseRequisition, on_delete=models.CASCADE, related_name="lines", verbose_name=_("采购申请")
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    needed_by = models.DateField(_("需求日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("采购申请明细")
        verbose_name_plural = _("采购申请明细")
        ordering = ["requisition", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="pr_line_quantity_positive")]

    def __str__(self):
        return f"{self.requisition_id}:{self.product_id}×{self.quantity}"


class PurchaseOrder(VersionedModel):
    """A purchase order / contract 采购订单/采购合同 (SUP-2, SUP-4, SUP-5).

    SUP-4: `quality_standard` 质量标准, `acceptance_method` 验收方式 and `return_terms` 退换货条款 must be
    stated before the order is submitted. SUP-2: the supplier must be on the approved qualified-supplier list
    for every product (checked at submit and again at approval). Approval by amount
    (`purchasing.approval_limit`). Scoped to HQ purchasing (`org_unit`).
    """

    number = models.CharField(_("订单号"), max_length=30, unique=True)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("供应商")
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("采购单位")
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("收货仓库")
    )
    requisition = models.ForeignKey(
        PurchaseRequisition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("采购申请"),
    )
    order_date = models.DateField(_("订货日期"), default=timezone.localdate)
    quality_standard = models.TextField(_("质量标准"), blank=True)
    acceptance_method = models.TextField(_("验收方式"), blank=True)
    return_terms = models.TextField(_("退换货条款"), blank=True)
    payment_terms = models.CharField(_("付款条件"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)
    total = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人"))
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批人")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approval_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    warnings = models.JSONField(_("提交时的提示"), default=list, blank=True)
    status_reason = models.CharField(_("退回/取消/关闭理由"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("采购订单")
        verbose_name_plural = _("采购订单")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_purchaseorder", "可审批采购订单")]
        indexes = [models.Index(fields=["supplier", "status"], name="po_supplier_status")]

    def __str__(self):
        return self.number

    @property
    def terms_complete(self) -> bool:
        """SUP-4: the three terms every purchase contract must state."""
        return all(
            (value or "").strip() for value in (self.quality_standard, self.acceptance_method, self.return_terms)
        )


class PurchaseOrderLine(models.Model):
    """One line of a purchase order with its execution figures (SUP-5).

    `received_quantity` counts what arrived (receipts), `accepted_quantity` / `rejected_quantity` what
    inspection decided. Outstanding = ordered − (received − rejected): rejected goods are owed again.
    """

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("采购订单"))
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("单价（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    due_date = models.DateField(_("交货日期"))
    received_quantity = models.PositiveIntegerField(_("已到货"), default=0)
    accepted_quantity = models.PositiveIntegerField(_("验收合格"), default=0)
    rejected_quantity = models.PositiveIntegerField(_("验收不合格"), default=0)
    first_received_at = models.DateTimeField(_("首次到货"), null=True, blank=True)
    completed_at = models.DateTimeField(_("到齐时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("采购订单明细")
        verbose_name_plural = _("采购订单明细")
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="po_line_quantity_positive")]

    def __str__(self):
        return f"{self.order_id}:{self.product_id}×{self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.unit_price or Decimal("0")) * self.quantity

    @property
    def outstanding(self) -> int:
        return max(self.quantity - (self.received_quantity - self.rejected_quantity), 0)

    @property
    def on_time(self) -> bool | None:
        """SUP-5 on time: complete by the due date (None while open and not yet due)."""
        if self.completed_at is not None:
            return timezone.localdate(self.completed_at) <= self.due_date
        if timezone.localdate() > self.due_date:
            return False
        return None

    @property
    def quality_rate(self) -> float | None:
        """SUP-5 in quality: accepted / inspected."""
        inspected = self.accepted_quantity + self.rejected_quantity
        return None if not inspected else self.accepted_quantity / inspected

    @property
    def in_quantity(self) -> bool:
        """SUP-5 in quantity: the ordered quantity accepted or received and pending."""
        return self.outstanding == 0


class Receipt(VersionedModel):
    """A receipt with its receiving inspection 入库验收单 (SUP-6, SUP-7, PRD-3).

    received 待检 (in quarantine) → inspected 已验收 (accepted to staging, rejected to the rejected
    location with a nonconformance) → put_away 已入库 (accepted quantity in storage locations).
    Scoped to the receiving warehouse's org unit.
    """

    number = models.CharField(_("入库验收单号"), max_length=30, unique=True)
    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("采购订单")
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="receipts", verbose_name=_("收货仓库")
    )
    delivery_note = models.CharField(_("送货单号"), max_length=60, blank=True)
    received_at = models.DateTimeField(_("到货时间"))
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("收货人"))
    status = models.CharField(_("状态"), max_length=20, choices=ReceiptStatus.choices, default=ReceiptStatus.RECEIVED)
    inspected_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验收人")
    )
    inspected_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    inspection_note = models.TextField(_("验收结论"), blank=True)
    put_away_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("上架人")
    )
    put_away_at = models.DateTimeField(_("上架时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "warehouse__org_unit"

    class Meta:
        verbose_name = _("入库验收单")
        verbose_name_plural = _("入库验收单")
        ordering = ["-received_at", "-id"]
        permissions = [("inspect_receipt", "可进货验收"), ("put_away_receipt", "可上架入库")]
        indexes = [models.Index(fields=["status", "-received_at"], name="receipt_status_received")]

    def __str__(self):
        return self.number

    @property
    def partially_accepted(self) -> bool:
        return any(line.rejected_quantity for line in self.lines.all())


class ReceiptLine(models.Model):
    """One received line: the order line, quantity, lot / serial numbers and dates as the product's tracking
    mode demands (PRD-3), and its inspection (SUP-6): accepted + rejected = received, the checklist
    results, the inspector and the nonconformance raised for the rejected part (SUP-8)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines", verbose_name=_("入库验收单"))
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines", verbose_name=_("订单明细")
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    quantity = models.PositiveIntegerField(_("到货数量"), validators=[MinValueValidator(1)])
    lot_number = models.CharField(_("批号"), max_length=80, blank=True)
    serial_numbers = models.JSONField(_("序列号"), default=list, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    accepted_quantity = models.PositiveIntegerField(_("合格数"), null=True, blank=True)
    rejected_quantity = models.PositiveIntegerField(_("不合格数"), null=True, blank=True)
    rejected_serials = models.JSONField(_("不合格序列号"), default=list, blank=True)
    inspection_note = models.TextField(_("验收说明/不合格描述"), blank=True)
    inspector = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验收人")
    )
    inspected_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    nonconformance = models.ForeignKey(
        "inspection.Nonconformance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_lines",
        verbose_name=_("不合格品记录"),
    )

    class Meta:
        verbose_name = _("到货明细")
        verbose_name_plural = _("到货明细")
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="receipt_line_quantity_positive")
        ]

    def __str__(self):
        return f"{self.receipt_id}:{self.product_id}×{self.quantity}"


class ReceiptLot(models.Model):
    """The stock a receipt line brought in, per lot (PRD-3 registry by number): one row for a batch-tracked
    or untracked line, one per serial number. Its inspection result and put-away location."""

    line = models.ForeignKey(ReceiptLine, on_delete=models.CASCADE, related_name="lots", verbose_name=_("到货明细"))
    lot = models.ForeignKey(
        "inventory.Lot", on_delete=models.PROTECT, related_name="receipt_lots", verbose_name=_("批次")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    accepted = models.PositiveIntegerField(_("合格数"), default=0)
    rejected = models.PositiveIntegerField(_("不合格数"), default=0)
    location = models.ForeignKey(
        "inventory.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上架货位"),
    )

    class Meta:
        verbose_name = _("到货批次")
        verbose_name_plural = _("到货批次")
        ordering = ["line", "id"]

    def __str__(self):
        return f"{self.line_id}:{self.lot_id}×{self.quantity}"


class CheckResultRow(models.Model):
    """The result of one acceptance-standard item for one receipt line (SUP-6: appearance, performance,
    specification, quantity)."""

    line = models.ForeignKey(ReceiptLine, on_delete=models.CASCADE, related_name="checks", verbose_name=_("到货明细"))
    item = models.ForeignKey(
        "catalog.InspectionItem", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("验收要点")
    )
    group = models.CharField(_("类别"), max_length=20)
    text = models.CharField(_("验收要点"), max_length=300)
    result = models.CharField(_("结论"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("验收项结论")
        verbose_name_plural = _("验收项结论")
        ordering = ["line", "id"]

    def __str__(self):
        return f"{self.text}: {self.result}"
