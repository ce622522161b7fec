"""Returns and exchanges 退换货 (RET-1, RET-2; SUP-8 through the nonconformance it opens).

- `ReturnRule`: the configurable part of the return policy that is not a number — categories excluded
  from returns (customised goods, opened medical consumables …) and when the exclusion applies. The
  windows are policy parameters (`returns.*` in returns/policy_defaults.py), read through `policy_value`.
- `ReturnRequest` 退换货单: one customer's request, scoped to its store (INF-1), with the eligibility the
  rules gave at request time kept as a snapshot, and the timestamps that measure handling (RET-2).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import GoodsCondition, Outcome, RequestedKind, ReturnReason, ReturnStatus, SaleChannel


class ReturnRule(VersionedModel):
    """RET-1: an exclusion of the published return policy, e.g. "定制商品不适用无理由退货" or
    "医用耗材拆封后不予退换（卫生安全）".

    It applies to products in `excluded_categories` (and their sub-categories), for the `reasons` listed
    (default: no-reason returns only), and — when `only_when_opened` — only once the package was opened.
    `citation` is what the eligibility answer quotes to the customer.
    """

    name = models.CharField(_("规则名称"), max_length=100, unique=True)
    excluded_categories = models.ManyToManyField(
        "catalog.ProductCategory", related_name="return_rules", blank=True, verbose_name=_("排除的商品类别")
    )
    reasons = models.JSONField(
        _("适用的退换货原因"),
        default=list,
        help_text=_("no_reason / quality / other 的列表；空表示全部"),
    )
    only_when_opened = models.BooleanField(_("仅拆封后排除"), default=False)
    citation = models.CharField(_("规则条文"), max_length=300)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("退换货排除规则")
        verbose_name_plural = _("退换货排除规则")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def applies_to_reason(self, reason: str) -> bool:
        return not self.reasons or reason in self.reasons


class ReturnRequest(VersionedModel):
    """A return / exchange / repair request 退换货单 (RET-1, RET-2; DESIGN §4).

    - RET-1: `eligibility` is the answer of `rules.return_eligibility` at request time (eligible, outcome,
      reasons, rule cited) — kept so the decision can be checked later against the rule then in force.
    - RET-2: approved or rejected by a user holding `returns.approve_returnrequest`; an ineligible request is
      approved only with an `override_reason`. Customer-caused damage found on receipt needs the
      `negotiated_outcome` (seed 000: 人为损坏 → 协商处理). `requested_at` … `closed_at` and
      `handling_seconds` (business time on the SLA calendar) measure how promptly it was handled.
    - SUP-8: an inspection that finds a quality problem opens an `inspection.Nonconformance`.
    """

    number = models.CharField(_("退换货单号"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="return_requests", verbose_name=_("客户")
    )
    store = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="return_requests", verbose_name=_("门店")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="return_requests", verbose_name=_("商品")
    )
    serial_number = models.CharField(_("序列号"), max_length=80, blank=True, db_index=True)
    batch_number = models.CharField(_("批号"), max_length=80, blank=True)
    purchase_date = models.DateField(_("购买（收货）日期"))
    sale_channel = models.CharField(_("销售方式"), max_length=20, choices=SaleChannel.choices)
    reason = models.CharField(_("退换货原因"), max_length=20, choices=ReturnReason.choices)
    description = models.TextField(_("问题描述"), blank=True)
    requested_kind = models.CharField(_("客户诉求"), max_length=20, choices=RequestedKind.choices)
    reported_condition = models.CharField(
        _("申请时商品状况"), max_length=30, choices=GoodsCondition.choices, default=GoodsCondition.UNOPENED
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_requests",
        verbose_name=_("关联服务单"),
    )

    # RET-1: the rule's answer at request time
    eligible = models.BooleanField(_("符合退换货规则"), default=False)
    eligible_outcome = models.CharField(_("规则给出的处理"), max_length=20, choices=Outcome.choices)
    rule_cited = models.CharField(_("依据条款"), max_length=300, blank=True)
    eligibility = models.JSONField(_("资格判定快照"), default=dict)

    status = models.CharField(_("状态"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_returns",
        verbose_name=_("经办人"),
    )
    requested_at = models.DateTimeField(_("申请时间"))
    # RET-2 (no stalling): the handling deadline on the SLA calendar, and the escalation store → region → HQ
    # when it passes (core.clocks; returns.handling_hours / returns.escalation_hours).
    handling_due_at = models.DateTimeField(_("处理时限"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("升级级别"), default=0)
    escalation_exhausted_at = models.DateTimeField(_("总部级仍超时"), null=True, blank=True)

    # decision (RET-2)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    override_reason = models.CharField(_("特批理由"), max_length=300, blank=True)
    rejection_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True)

    # goods received (seed 000: customer-caused damage → negotiated outcome)
    received_at = models.DateTimeField(_("收货时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("收货人"),
    )
    received_condition = models.CharField(
        _("收货时商品状况"), max_length=30, choices=GoodsCondition.choices, blank=True
    )
    received_note = models.CharField(_("收货说明"), max_length=300, blank=True)
    negotiated_outcome = models.TextField(_("协商结果"), blank=True)

    # inspection
    inspected_at = models.DateTimeField(_("检验时间"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("检验人"),
    )
    quality_problem = models.BooleanField(_("存在质量问题"), null=True, blank=True)
    inspection_findings = models.TextField(_("检验结论"), blank=True)

    # resolution
    resolution = models.CharField(
        _("处理结果"),
        max_length=20,
        blank=True,
        choices=[(s, label) for s, label in ReturnStatus.choices if s in ("refunded", "exchanged", "repaired")],
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处理人"),
    )
    refund_amount = models.DecimalField(_("退款金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    replacement_serial = models.CharField(_("换货新机序列号"), max_length=80, blank=True)
    resolution_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("结案人"),
    )
    closing_note = models.CharField(_("结案说明"), max_length=300, blank=True)
    handling_seconds = models.PositiveIntegerField(
        _("处理时长（业务秒）"), null=True, blank=True, help_text=_("申请至结案，按 SLA 日历计算")
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "store"

    class Meta:
        verbose_name = _("退换货单")
        verbose_name_plural = _("退换货单")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("approve_returnrequest", _("可审批退换货")),
            ("settle_returnrequest", _("可办理退款、换货、维修与结案")),
        ]
        indexes = [
            models.Index(fields=["store", "-requested_at"], name="rt_store_requested"),
            models.Index(fields=["status", "-requested_at"], name="rt_status_requested"),
            models.Index(fields=["handler", "requested_at"], name="rt_handler_requested"),
            # The sweep's work list: only requests whose handling clock still runs (cost follows the due).
            models.Index(
                fields=["handling_due_at"],
                name="rt_handling_due",
                condition=Q(
                    status__in=["requested", "approved", "goods_received", "inspected"],
                    escalation_exhausted_at__isnull=True,
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True) | Q(refund_amount__gt=0), name="rt_refund_positive"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def handling_clock_running(self) -> bool:
        """RET-2: not yet handled (settled, rejected, cancelled or closed) and a deadline set."""
        from .clocks import RUNNING

        return self.handling_due_at is not None and self.status in RUNNING

    @property
    def handling_overdue(self) -> bool:
        from django.utils import timezone

        return self.handling_clock_running and self.handling_due_at <= timezone.now()

    def get_escalation_level_label(self) -> str:
        from .clocks import LEVEL_NAMES

        return str(LEVEL_NAMES.get(self.escalation_level, self.escalation_level))

    @property
    def closing_note_required(self) -> bool:
        """Closing straight after inspection (nothing refunded, exchanged or repaired) needs a note."""
        return self.status == ReturnStatus.INSPECTED

    @property
    def handling_hours(self):
        if self.handling_seconds is None:
            return None
        return round(self.handling_seconds / 3600, 1)
