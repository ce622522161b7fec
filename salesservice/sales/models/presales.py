"""Pre-sales records: inquiries, product claims, tenders, sales-rep authorisation letters, sales plans."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from ..choices import ClaimStatus, Department, InquiryChannel, InquiryStatus, TenderStatus

USER = settings.AUTH_USER_MODEL
MONEY = dict(max_digits=14, decimal_places=2)


class Inquiry(VersionedModel):
    """A customer inquiry 客户咨询 by phone, online or in the store (PRE-1, PRE-3; seeds 000 客戶諮詢, 003 接待).

    The needs and special requirements are recorded, the inquiry is routed to the department concerned,
    and a reply clock (`sales.inquiry_reply_hours`) runs from `received_at` to `reply_due_at`. A prospect
    who is not yet a customer is recorded by name and phone (personal data, masked).
    """

    number = models.CharField(_("咨询单号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("受理单位"))
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("客户"),
    )
    prospect_name = models.CharField(_("咨询人"), max_length=100, blank=True)
    prospect_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    channel = models.CharField(_("咨询方式"), max_length=20, choices=InquiryChannel.choices)
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("意向商品")
    )
    needs = models.TextField(_("客户需求"))
    special_requirements = models.TextField(_("特殊要求"), blank=True)
    department = models.CharField(_("转交部门"), max_length=20, choices=Department.choices, default=Department.SALES)
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("负责人")
    )
    received_at = models.DateTimeField(_("咨询时间"), default=timezone.now)
    reply_due_at = models.DateTimeField(_("应答复时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    needs_confirmed = models.BooleanField(_("需求已与客户确认"), default=False)
    reminded_at = models.DateTimeField(_("超时提醒时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.OPEN)
    close_reason = models.CharField(_("关闭说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("prospect_phone",)

    class Meta:
        verbose_name = _("客户咨询")
        verbose_name_plural = _("客户咨询")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "reply_due_at"], name="inquiry_status_due")]

    def __str__(self):
        return self.number


class ProductClaim(VersionedModel):
    """A product claim 产品宣传用语 that may be shown to customers — only once QA approved it (PRE-2, 002 §6.4.1)."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="claims", verbose_name=_("商品")
    )
    text = models.TextField(_("宣传内容"))
    evidence = models.CharField(_("依据（注册证/检验报告等）"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交人"))
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("产品宣传用语")
        verbose_name_plural = _("产品宣传用语")
        ordering = ["product_id", "-id"]
        permissions = [("approve_productclaim", "可审核产品宣传用语")]

    def __str__(self):
        return self.text[:30]


class Tender(VersionedModel):
    """A tender 招投标 on the sell side: reported to the general manager and tracked to the contract (SAL-3)."""

    number = models.CharField(_("招标登记号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("负责单位"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tenders", verbose_name=_("招标单位")
    )
    title = models.CharField(_("项目名称"), max_length=200)
    tender_no = models.CharField(_("招标编号"), max_length=80, blank=True)
    announced_on = models.DateField(_("公告日期"))
    deadline = models.DateTimeField(_("投标截止时间"))
    budget = models.DecimalField(_("预算金额（元）"), null=True, blank=True, **MONEY)
    bid_amount = models.DecimalField(_("投标报价（元）"), null=True, blank=True, **MONEY)
    reported_at = models.DateTimeField(_("报总经理时间"), null=True, blank=True)
    reported_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告对象")
    )
    bid_at = models.DateTimeField(_("投标时间"), null=True, blank=True)
    awarded_on = models.DateField(_("开标/中标日期"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TenderStatus.choices, default=TenderStatus.ANNOUNCED)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("招投标")
        verbose_name_plural = _("招投标")
        ordering = ["-announced_on", "-id"]

    def __str__(self):
        return self.number


class RepAuthorisation(VersionedModel):
    """A sales-rep authorisation letter 销售人员授权书 with its scope and expiry (BUY-2, 004 §4.1.6).

    An order taken by a rep without a letter valid on the order date is flagged (`SalesOrder.rep_flag`).
    """

    number = models.CharField(_("授权书编号"), max_length=30, unique=True)
    rep = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="sales_authorisations", verbose_name=_("销售人员")
    )
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("授权单位"))
    scope = models.CharField(_("授权范围"), max_length=300, help_text=_("如：华东区医疗器械销售，含 III 类"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发人"))
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("收回原因"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("销售授权书")
        verbose_name_plural = _("销售授权书")
        ordering = ["-valid_until", "-id"]
        indexes = [models.Index(fields=["rep", "valid_until"], name="rep_auth_rep_until")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="rep_auth_dates")
        ]

    def __str__(self):
        return self.number

    def valid_on(self, day) -> bool:
        revoked = self.revoked_at is not None and timezone.localdate(self.revoked_at) <= day
        return self.valid_from <= day <= self.valid_until and not revoked


class SalesPlan(VersionedModel):
    """The annual sales plan 年度销售计划 of a unit, from last year's results and the company target (SAL-4)."""

    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    last_year_actual = models.DecimalField(_("上年实际（元）"), default=Decimal("0"), **MONEY)
    company_target = models.DecimalField(_("公司下达目标（元）"), default=Decimal("0"), **MONEY)
    target = models.DecimalField(_("计划销售额（元）"), **MONEY)
    basis = models.TextField(_("编制依据"), blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("批准人")
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("年度销售计划")
        verbose_name_plural = _("年度销售计划")
        ordering = ["-year", "org_unit_id"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="sales_plan_unit_year")]
        permissions = [("approve_salesplan", "可批准年度销售计划")]

    def __str__(self):
        return f"{self.org_unit} {self.year}"


class SalesPlanMonth(models.Model):
    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="months", verbose_name=_("计划"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    target = models.DecimalField(_("月度目标（元）"), **MONEY)

    class Meta:
        verbose_name = _("月度目标")
        verbose_name_plural = _("月度目标")
        ordering = ["plan", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="sales_plan_month_unique")]

    def __str__(self):
        return f"{self.month}月 {self.target}"
