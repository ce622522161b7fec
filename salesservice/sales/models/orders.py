"""Sales orders 销售订单, their progress schedule, receivables and the GSP sales record."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import ConfirmChannel, Department, OrderStatus, PaymentMethod, ProgressStep, ReceivableKind
from .contracts import PricedLine

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)
PRICE = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])


class SalesOrder(VersionedModel):
    """A sales order 销售订单 (SAL-5, SAL-6, SAL-7, BUY-1, BUY-2, PRD-1; seeds 000 訂單處理, 003 訂單確認).

    Reviewed against the customer before it is confirmed: buyer qualification for each product's class,
    sellability of each product, price, credit and stock (`review_findings` keeps what was checked). Stock is
    allocated FEFO through the inventory service (never oversold) and the warehouse is told to ship. The
    same buyer and sellability checks run again at shipment. `rep_flag` says why the order's sales rep had
    no valid authorisation letter on the order date (BUY-2). The timestamps give the processing-time
    figures of SAL-6.
    """

    number = models.CharField(_("订单号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="sales_orders", verbose_name=_("客户")
    )
    contract = models.ForeignKey(
        "sales.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="orders", verbose_name=_("合同")
    )
    quotation = models.ForeignKey(
        "sales.Quotation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("报价单"),
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="sales_orders", verbose_name=_("发货仓库")
    )
    sales_rep = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("销售人员")
    )
    rep_authorisation = models.ForeignKey(
        "sales.RepAuthorisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("销售授权书"),
    )
    rep_flag = models.CharField(_("授权提示"), max_length=200, blank=True)
    order_date = models.DateField(_("订货日期"), default=timezone.localdate)
    requested_date = models.DateField(_("要求交货日期"), null=True, blank=True)
    ship_to_contact = models.CharField(_("收货人"), max_length=60, blank=True)
    ship_to_phone = models.CharField(_("收货电话"), max_length=30, blank=True)
    ship_to_address = models.CharField(_("收货地址"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    total = models.DecimalField(_("订单金额（元）"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    review_findings = models.JSONField(_("评审核查结果"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审人")
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_with = models.CharField(_("客户确认人"), max_length=60, blank=True)
    confirm_channel = models.CharField(_("确认方式"), max_length=20, choices=ConfirmChannel.choices, blank=True)
    allocated_at = models.DateTimeField(_("配货时间"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    status_reason = models.CharField(_("取消/关闭理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("ship_to_phone", "ship_to_address")

    class Meta:
        verbose_name = _("销售订单")
        verbose_name_plural = _("销售订单")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_salesorder", "可评审销售订单"),
            ("allocate_salesorder", "可配货"),
            ("ship_salesorder", "可发货"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="so_status_created"),
            models.Index(fields=["customer", "-created_at"], name="so_customer_created"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("sales:order-detail", args=[self.pk])

    @property
    def processing_hours(self) -> float | None:
        """SAL-6: hours from entry to the shipping notice (allocation)."""
        if self.allocated_at is None:
            return None
        return round((self.allocated_at - self.created_at).total_seconds() / 3600, 1)


class SalesOrderLine(PricedLine):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("订单"))
    allocated_quantity = models.PositiveIntegerField(_("已配货"), default=0)
    shipped_quantity = models.PositiveIntegerField(_("已发货"), default=0)

    class Meta:
        verbose_name = _("销售订单明细")
        verbose_name_plural = _("销售订单明细")
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="so_line_quantity_positive")]

    def __str__(self):
        return f"{self.order_id}:{self.product_id}×{self.quantity}"


class OrderStep(models.Model):
    """A step of an order's progress schedule 进度表 (SAL-7): its department, due time and completion.

    Created when the order is confirmed; a step late and not done is reminded to its department once.
    """

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="steps", verbose_name=_("订单"))
    step = models.CharField(_("节点"), max_length=20, choices=ProgressStep.choices)
    department = models.CharField(_("负责部门"), max_length=20, choices=Department.choices)
    due_at = models.DateTimeField(_("计划完成"))
    done_at = models.DateTimeField(_("实际完成"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订单进度")
        verbose_name_plural = _("订单进度")
        ordering = ["order", "due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "step"], name="order_step_unique")]
        indexes = [models.Index(fields=["done_at", "due_at"], name="order_step_open_due")]

    def __str__(self):
        return f"{self.order_id}:{self.step}"

    @property
    def is_late(self) -> bool:
        return (
            self.done_at is None
            and self.due_at < timezone.now()
            or (self.done_at is not None and self.done_at > self.due_at)
        )


class Receivable(models.Model):
    """An amount the customer owes as the contract's payment terms say (DEL-5): due date, paid so far."""

    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("客户")
    )
    contract = models.ForeignKey(
        "sales.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receivables",
        verbose_name=_("合同"),
    )
    order = models.ForeignKey(
        SalesOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="receivables", verbose_name=_("订单")
    )
    kind = models.CharField(_("款项"), max_length=20, choices=ReceivableKind.choices)
    amount = models.DecimalField(_("应收金额（元）"), **MONEY)
    due_date = models.DateField(_("到期日"))
    paid_amount = models.DecimalField(_("已收金额（元）"), default=Decimal("0"), **MONEY)
    paid_at = models.DateTimeField(_("收讫时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催收提醒"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("应收款")
        verbose_name_plural = _("应收款")
        ordering = ["due_date", "id"]
        permissions = [("record_payment", "可登记回款")]
        indexes = [models.Index(fields=["paid_at", "due_date"], name="receivable_open_due")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal("0"), self.amount - self.paid_amount)

    @property
    def is_overdue(self) -> bool:
        return self.outstanding > 0 and self.due_date < timezone.localdate()


class PaymentRecord(models.Model):
    """A payment received 收款记录 against a receivable (DEL-5)."""

    receivable = models.ForeignKey(
        Receivable, on_delete=models.PROTECT, related_name="payments", verbose_name=_("应收款")
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    received_on = models.DateField(_("收款日期"))
    method = models.CharField(_("方式"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("凭证号"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("收款记录")
        verbose_name_plural = _("收款记录")
        ordering = ["receivable", "id"]

    def __str__(self):
        return f"{self.received_on} {self.amount}"


class SalesRecord(models.Model):
    """The GSP sales record 销售记录 of one lot (or serial) shipped on an order line (TRC-1, TRC-2, TRC-4).

    Written when the goods leave the warehouse, as a snapshot of every field 004 §4.4.1 lists — the product's
    name, specification, registration/filing number, manufacturer and its licence; quantity, unit price and
    amount; lot/serial and expiry; sale date; the buyer, its licence, contact, phone and address. For a
    medical device every field is required before the sale completes (`sales.records.build`). Never deleted
    or anonymised before `retain_until` (TRC-4: 2 years after expiry, at least 5 years, implantables kept
    for ever — `retain_until` empty). It is the row that trace and recall read (indexes on lot and customer).
    """

    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    order = models.ForeignKey(
        SalesOrder, on_delete=models.PROTECT, related_name="sales_records", verbose_name=_("订单")
    )
    order_line = models.ForeignKey(
        SalesOrderLine, on_delete=models.PROTECT, related_name="sales_records", verbose_name=_("订单明细")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="sales_records", verbose_name=_("购货单位")
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    lot = models.ForeignKey(
        "inventory.Lot", on_delete=models.PROTECT, related_name="sales_records", verbose_name=_("批次")
    )
    shipment_id = models.PositiveBigIntegerField(_("发货单 ID"), null=True, blank=True)
    shipment_number = models.CharField(_("发货单号"), max_length=40, blank=True)
    sale_date = models.DateField(_("销售日期"))
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price = models.DecimalField(_("单价（元）"), **PRICE)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    is_medical_device = models.BooleanField(_("医疗器械"), default=False)
    product_name = models.CharField(_("产品名称"), max_length=200)
    specification = models.CharField(_("规格型号"), max_length=200, blank=True)
    registration_no = models.CharField(_("注册证号/备案凭证号"), max_length=100, blank=True)
    lot_number = models.CharField(_("批号"), max_length=80, blank=True)
    serial_number = models.CharField(_("序列号"), max_length=80, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    manufacturer = models.CharField(_("生产企业"), max_length=200, blank=True)
    manufacturer_licence_no = models.CharField(_("生产企业许可证号/备案号"), max_length=100, blank=True)
    buyer_name = models.CharField(_("购货单位名称"), max_length=100)
    buyer_licence_no = models.CharField(_("购货单位许可证号"), max_length=80, blank=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    retain_until = models.DateField(_("保存至"), null=True, blank=True, help_text=_("留空表示永久保存（植入类）"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("phone", "address")

    class Meta:
        verbose_name = _("销售记录（GSP）")
        verbose_name_plural = _("销售记录（GSP）")
        ordering = ["-sale_date", "-id"]
        indexes = [
            models.Index(fields=["lot", "customer"], name="sales_record_lot"),
            models.Index(fields=["customer", "lot"], name="sales_record_customer"),
            models.Index(fields=["product", "-sale_date"], name="sales_record_product"),
        ]

    def __str__(self):
        return f"{self.product_name} {self.lot_number or self.serial_number} ×{self.quantity}"
