"""Quotations 报价单 and contracts 销售合同 with their review, amendments and lines."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import ContractStatus, Department, QuotationStatus, ReviewItem, ReviewResult

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)
PRICE = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])


class PricedLine(models.Model):
    """A product line with list price, agreed price and quantity (quotation, contract and sales order lines)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    list_price = models.DecimalField(_("标准价（元）"), **PRICE)
    unit_price = models.DecimalField(_("单价（元）"), **PRICE)

    class Meta:
        abstract = True

    @property
    def amount(self) -> Decimal:
        return (self.unit_price or Decimal("0")) * self.quantity

    @property
    def discount_pct(self) -> Decimal:
        """How far below the list price, in percent (0 when at or above it)."""
        if not self.list_price:
            return Decimal("0")
        return max(Decimal("0"), (self.list_price - self.unit_price) * 100 / self.list_price).quantize(Decimal("0.1"))


class Quotation(VersionedModel):
    """A quotation 报价单 with its validity; a discount beyond the rep's band waits for price approval.

    Discount bands (`sales.discount_free_pct`, `sales.discount_manager_pct`): up to the first, no approval;
    up to the second, a store/sales manager approves; beyond, the general manager. An approved quotation
    within its validity is accepted by the customer and converted to a contract or an order.
    """

    number = models.CharField(_("报价单号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="quotations", verbose_name=_("客户")
    )
    inquiry = models.ForeignKey(
        "sales.Inquiry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotations",
        verbose_name=_("咨询"),
    )
    valid_until = models.DateField(_("有效期至"))
    terms = models.TextField(_("报价条款（交货、付款、质保）"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    total = models.DecimalField(_("报价金额（元）"), default=Decimal("0"), **MONEY)
    max_discount_pct = models.DecimalField(_("最大折扣（%）"), max_digits=5, decimal_places=1, default=Decimal("0"))
    approval_level = models.PositiveSmallIntegerField(
        _("价格审批级别"), default=0, help_text=_("0 无需审批，1 主管，2 总经理")
    )
    status = models.CharField(_("状态"), max_length=20, choices=QuotationStatus.choices, default=QuotationStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("报价人"))
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("价格审批人")
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见/理由"), max_length=300, blank=True)
    accepted_at = models.DateTimeField(_("客户接受时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("报价单")
        verbose_name_plural = _("报价单")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_quotation", "可审批报价（主管折扣档）"),
            ("approve_quotation_top", "可审批报价（超主管折扣档）"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="quotation_status_until")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("sales:quotation-detail", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()


class QuotationLine(PricedLine):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines", verbose_name=_("报价单"))

    class Meta:
        verbose_name = _("报价明细")
        verbose_name_plural = _("报价明细")
        ordering = ["quotation", "id"]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class Contract(VersionedModel):
    """A sales contract 销售合同 (SAL-1, SAL-2, SAL-8, DEL-4, DEL-7; 002 §6.4.3–6.4.4, 004 §4.3.2.2).

    Reviewed before signing (one `ContractReview` per item and department, all passed), approved by amount
    (`sales.contract_approval_limit`), signed with the deposit collected as agreed; an amendment raises the
    revision and goes through review again. `training_required`, `installation_required` and
    `protect_to_destination` are the delivery obligations the release gate checks (DEL-3, DEL-4, DEL-7).
    """

    number = models.CharField(_("合同编号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("客户")
    )
    quotation = models.ForeignKey(
        Quotation, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("报价单")
    )
    tender = models.ForeignKey(
        "sales.Tender",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("招投标"),
    )
    title = models.CharField(_("合同名称"), max_length=200)
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    total = models.DecimalField(_("合同金额（元）"), default=Decimal("0"), **MONEY)
    delivery_due = models.DateField(_("交货期"), null=True, blank=True)
    delivery_terms = models.TextField(_("交付条款"), blank=True)
    acceptance_terms = models.TextField(_("验收条款"), blank=True)
    payment_terms = models.TextField(_("付款条款"), blank=True)
    deposit_required = models.DecimalField(_("约定定金（元）"), default=Decimal("0"), **MONEY)
    deposit_received = models.DecimalField(_("已收定金（元）"), default=Decimal("0"), **MONEY)
    installation_required = models.BooleanField(_("需安装调试"), default=False)
    training_required = models.BooleanField(_("需客户培训"), default=False)
    protect_to_destination = models.BooleanField(_("防护延伸至目的地"), default=False)
    acceptance_days = models.PositiveSmallIntegerField(_("验收后付款天数"), default=30)
    status = models.CharField(_("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人"))
    submitted_at = models.DateTimeField(_("提交评审时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    customer_signatory = models.CharField(_("客户签约人"), max_length=60, blank=True)
    signed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("我方签约人")
    )
    status_reason = models.CharField(_("退回/取消理由"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("销售合同")
        verbose_name_plural = _("销售合同")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_contract", "可参加合同评审"),
            ("approve_contract", "可批准合同（限额内）"),
            ("approve_contract_top", "可批准合同（超限额）"),
            ("sign_contract", "可签订合同"),
        ]
        indexes = [models.Index(fields=["customer", "status"], name="contract_customer_status")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("sales:contract-detail", args=[self.pk])

    @property
    def deposit_outstanding(self) -> Decimal:
        return max(Decimal("0"), self.deposit_required - self.deposit_received)


class ContractLine(PricedLine):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines", verbose_name=_("合同"))

    class Meta:
        verbose_name = _("合同明细")
        verbose_name_plural = _("合同明细")
        ordering = ["contract", "id"]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class ContractReview(models.Model):
    """One item of a contract review 合同评审 for one revision, signed off by its department (SAL-1)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("合同"))
    revision = models.PositiveSmallIntegerField(_("版本"))
    item = models.CharField(_("评审项目"), max_length=20, choices=ReviewItem.choices)
    department = models.CharField(_("评审部门"), max_length=20, choices=Department.choices)
    result = models.CharField(_("结论"), max_length=10, choices=ReviewResult.choices, default=ReviewResult.PENDING)
    findings = models.JSONField(_("系统核查结果"), default=list, blank=True)
    note = models.CharField(_("评审意见"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审人")
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合同评审")
        verbose_name_plural = _("合同评审")
        ordering = ["contract", "-revision", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "revision", "item"], name="contract_review_item_unique")
        ]

    def __str__(self):
        return f"{self.contract_id} r{self.revision} {self.item}"


class ContractAmendment(models.Model):
    """A versioned change 合同变更 of a contract (SAL-8): what changed, why, and the revision it opened."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("合同"))
    from_revision = models.PositiveSmallIntegerField(_("原版本"))
    to_revision = models.PositiveSmallIntegerField(_("新版本"))
    reason = models.CharField(_("变更原因"), max_length=300)
    changes = models.JSONField(_("变更内容"), default=dict)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合同变更")
        verbose_name_plural = _("合同变更")
        ordering = ["contract", "to_revision"]

    def __str__(self):
        return f"{self.contract_id} r{self.from_revision}→r{self.to_revision}"
