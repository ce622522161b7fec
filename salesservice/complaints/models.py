"""Complaints 投诉 with three-level handling, and the after-sales fund for advance compensation.

Policy clauses: CMP-1 … CMP-8 (seed 000 客戶投訴處理/跟蹤; 002 §6.7.1; 003 四 客户投诉处理流程;
004 通程 three-level handling and 先行理赔垫付).

Complaints are scoped to their store (INF-1); the ledger, requests, recoveries and improvement actions
are visible exactly when their complaint is (ledger lines without a complaint — top-ups — only to HQ).
Status changes go through the services and the workflows declared in `workflows.py` only.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import (
    RUNNING_STATUSES,
    CompensationRequestStatus,
    ComplaintChannel,
    ComplaintClock,
    ComplaintLevel,
    ComplaintStatus,
    EntryKind,
    RecoveryStatus,
    ResponsibleParty,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class ComplaintQuerySet(ScopedQuerySet):
    def running(self):
        """Complaints whose escalation clock runs."""
        return self.filter(status__in=RUNNING_STATUSES)


class Complaint(VersionedModel):
    """A customer complaint 投诉 (CMP-1 … CMP-8).

    - CMP-1: the channel, the complaint and the customer's demand recorded in full, and the handling
      deadline promised to the customer (`promised_by`, seed 000 "承诺处理时限").
    - CMP-2: `first_response_due_at` (policy `complaint.first_response_hours`, 2 h on the SLA calendar);
      `first_responded_at` stops that clock; the departments consulted are recorded on verification.
    - CMP-3: verification notes, the responsible party (manufacturer / provider / our department /
      staff / customer / none) and who exactly.
    - CMP-4: the solution, and every agree/refuse of the customer (`ComplaintDecision`).
    - CMP-5: closing needs the root cause, the responsible party and an improvement action.
    - CMP-7: `level` 0 store / 1 region / 2 HQ; major complaints (amount, media, safety) start at HQ;
      `escalation_due_at` (policy `complaint.escalation_hours`) raises it a level when missed.
    - CMP-8: payouts from the after-sales fund are `CompensationEntry` rows linked here.
    """

    number = models.CharField(_("投诉单号"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("客户")
    )
    store = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("受理门店")
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=ComplaintChannel.choices)
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("来源服务单"),
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("商品"),
    )  # fmt: skip
    subject = models.CharField(_("投诉主题"), max_length=200)
    description = models.TextField(_("投诉内容"))
    customer_demand = models.TextField(_("客户诉求"), blank=True)
    promised_by = models.DateTimeField(_("承诺处理时限"), null=True, blank=True)

    # Major-complaint criteria (CMP-7)
    claimed_amount = models.DecimalField(_("索赔金额"), default=Decimal("0"), **MONEY)
    media_exposure = models.BooleanField(_("媒体曝光"), default=False)
    safety_issue = models.BooleanField(_("涉及人身/财产安全"), default=False)
    is_major = models.BooleanField(_("重大投诉"), default=False)

    status = models.CharField(
        _("状态"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    level = models.PositiveSmallIntegerField(
        _("处理级别"), choices=ComplaintLevel.choices, default=ComplaintLevel.STORE,
        validators=[MaxValueValidator(2)],
    )  # fmt: skip
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="handled_complaints",
        verbose_name=_("处理人"),
    )  # fmt: skip

    # Clocks (CMP-2, CMP-7)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    first_response_due_at = models.DateTimeField(_("首次答复时限"))
    first_responded_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    first_response_note = models.CharField(_("首次答复内容"), max_length=500, blank=True)
    first_response_breached_at = models.DateTimeField(_("首次答复超时记录时间"), null=True, blank=True)
    # CMP-2 remind (issue 12 §15): the handler is warned once before the 2 h reply deadline passes.
    first_response_warned_at = models.DateTimeField(_("首次答复到期提醒时间"), null=True, blank=True)
    escalation_due_at = models.DateTimeField(_("升级时限"))
    escalation_exhausted_at = models.DateTimeField(_("总部级超时记录时间"), null=True, blank=True)

    # Handling (CMP-3, CMP-4)
    verification_notes = models.TextField(_("核实情况"), blank=True)
    departments_consulted = models.CharField(_("协同部门"), max_length=300, blank=True)
    solution = models.TextField(_("解决方案"), blank=True)
    solution_proposed_at = models.DateTimeField(_("方案提出时间"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("客户认可时间"), null=True, blank=True)
    implementation_notes = models.TextField(_("处理情况"), blank=True)
    implemented_at = models.DateTimeField(_("开始处理时间"), null=True, blank=True)
    feedback = models.TextField(_("结果反馈"), blank=True)
    feedback_given_at = models.DateTimeField(_("结果反馈时间"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("客户满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    # Closing (CMP-5) and responsibility (CMP-3, CMP-8)
    root_cause = models.TextField(_("根本原因"), blank=True)
    responsible_party = models.CharField(_("责任方"), max_length=20, choices=ResponsibleParty.choices, blank=True)
    responsible_provider = models.ForeignKey(
        "network.ServiceProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("责任网点"),
    )  # fmt: skip
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("责任员工"),
    )  # fmt: skip
    responsible_detail = models.CharField(_("责任方说明"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("结案人"),
    )  # fmt: skip
    cancelled_at = models.DateTimeField(_("取消/撤诉时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消/撤诉原因"), max_length=300, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("受理人"),
    )  # fmt: skip

    objects = ComplaintQuerySet.as_manager()
    scope_field = "store"

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("close_complaint", _("可结案投诉")),
            ("pay_compensation", _("可先行赔付")),
            ("approve_compensation", _("可审批超权限赔付")),
        ]
        indexes = [
            models.Index(fields=["store", "-received_at"], name="cp_store_received"),
            models.Index(fields=["status", "level"], name="cp_status_level"),
            models.Index(fields=["handler", "status"], name="cp_handler_status"),
            models.Index(fields=["responsible_party"], name="cp_responsible"),
            # The sweep's work lists (CMP-2, CMP-7): only what may still become due.
            models.Index(
                fields=["first_response_due_at"],
                name="cp_sweep_first_response",
                condition=Q(
                    status__in=RUNNING_STATUSES,
                    first_responded_at__isnull=True,
                    first_response_breached_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["escalation_due_at"],
                name="cp_sweep_escalation",
                condition=Q(status__in=RUNNING_STATUSES, escalation_exhausted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=2), name="cp_level_range"),
            models.CheckConstraint(condition=Q(claimed_amount__gte=0), name="cp_claimed_amount_positive"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="cp_satisfaction_range",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in (ComplaintStatus.CLOSED, ComplaintStatus.CANCELLED, ComplaintStatus.WITHDRAWN)

    # What the complaint page words differently in some states (the actions shown come from the workflow).

    @property
    def escalation_clock_running(self) -> bool:
        """The escalation clock runs until the result is fed back (CMP-7)."""
        return self.status in RUNNING_STATUSES

    @property
    def in_verification(self) -> bool:
        """核实 has begun: verifying again adds notes (补充核实)."""
        return self.status == ComplaintStatus.VERIFYING

    @property
    def has_proposal(self) -> bool:
        """A solution waits for the customer's answer: proposing again revises it."""
        return self.status == ComplaintStatus.SOLUTION_PROPOSED

    @property
    def result_fed_back(self) -> bool:
        """The result was told to the customer: handling it again means they were not satisfied (CMP-6)."""
        return self.status == ComplaintStatus.FEEDBACK_GIVEN

    def is_first_response_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.first_responded_at is None and self.first_response_due_at <= now

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Past the escalation deadline while the clock runs, or the first response late (the list's 超时 mark)."""
        now = now or timezone.now()
        return (self.escalation_clock_running and self.escalation_due_at <= now) or self.is_first_response_overdue(now)


class ComplaintChildQuerySet(models.QuerySet):
    """Rows that belong to a complaint are visible exactly when their complaint is."""

    def visible_to(self, user):
        return self.filter(complaint__in=Complaint.objects.visible_to(user).values("pk"))


class ComplaintDecision(models.Model):
    """CMP-4: the customer's answer to a proposed solution — agreed, or refused with the reason."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("投诉"))
    agreed = models.BooleanField(_("认可"))
    solution = models.TextField(_("方案"))
    reason = models.TextField(_("原因/说明"), blank=True)
    decided_at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("记录人"),
    )  # fmt: skip

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户意见")
        verbose_name_plural = _("客户意见")
        ordering = ["complaint", "decided_at", "id"]

    def __str__(self):
        return f"{self.complaint_id} {'✓' if self.agreed else '✗'}"


class ComplaintBreach(models.Model):
    """CMP-2 / CMP-7: a deadline that passed — a fact recorded once by the sweep, never recomputed."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="breaches", verbose_name=_("投诉"))
    clock = models.CharField(_("计时"), max_length=20, choices=ComplaintClock.choices)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    due_at = models.DateTimeField(_("时限"))
    breached_at = models.DateTimeField(_("记录时间"))
    overdue_seconds = models.PositiveIntegerField(_("记录时超时（秒）"), default=0)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉超时记录")
        verbose_name_plural = _("投诉超时记录")
        ordering = ["complaint", "breached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "clock", "level"], name="uniq_complaint_breach"),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(clock=ComplaintClock.FIRST_RESPONSE),
                name="uniq_complaint_first_response_breach",
            ),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.clock} L{self.level}"


class ComplaintEscalation(models.Model):
    """CMP-7: one step up store 0 → region 1 → HQ 2 — passed on by hand (with a reason), on the SLA by the
    sweep, or straight to HQ at intake for a major complaint."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("投诉")
    )
    from_level = models.PositiveSmallIntegerField(_("原级别"), choices=ComplaintLevel.choices)
    to_level = models.PositiveSmallIntegerField(_("升至级别"), choices=ComplaintLevel.choices)
    at = models.DateTimeField(_("升级时间"))
    automatic = models.BooleanField(_("超时自动升级"), default=False)
    due_at = models.DateTimeField(_("超过的时限"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("下一时限"))
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("操作人"),
    )  # fmt: skip

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉升级记录")
        verbose_name_plural = _("投诉升级记录")
        ordering = ["complaint", "to_level"]
        constraints = [models.UniqueConstraint(fields=["complaint", "to_level"], name="uniq_complaint_escalation")]

    def __str__(self):
        return f"{self.complaint_id} {self.from_level}→{self.to_level}"


class ImprovementAction(models.Model):
    """CMP-5 (seed 003 總結改進): a measure that prevents the complaint's cause from recurring — with an owner
    and a due date, tracked until done."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("投诉")
    )
    description = models.TextField(_("改进措施"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaint_improvement_actions",
        verbose_name=_("负责人"),
    )  # fmt: skip
    due_date = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("确认人"),
    )  # fmt: skip
    done_note = models.CharField(_("完成说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("改进措施")
        verbose_name_plural = _("改进措施")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "done_at"], name="cp_action_owner_done")]

    def __str__(self):
        return self.description[:40]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.done_at is None and self.due_date < (today or timezone.localdate())


class CompensationFund(models.Model):
    """CMP-8: the after-sales fund 售后基金 that advances compensation to customers (seed 004 先行理赔垫付).

    One fund for the company. `balance` is the sum of its ledger (top-ups + recoveries − payouts), kept
    on this row and changed only under `SELECT … FOR UPDATE` of the row, so it can never go negative.
    """

    code = models.CharField(_("编码"), max_length=30, unique=True, default="company")
    name = models.CharField(_("名称"), max_length=100, default="售后服务基金")
    balance = models.DecimalField(_("余额"), default=Decimal("0"), **MONEY)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("售后基金")
        verbose_name_plural = _("售后基金")
        permissions = [("manage_compensation_fund", _("可管理售后基金"))]
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="cp_fund_balance_not_negative")]

    def __str__(self):
        return self.name


class CompensationEntryQuerySet(models.QuerySet):
    """HQ sees the whole ledger; others see the lines of the complaints they may see."""

    def visible_to(self, user):
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or visible_unit_ids(user) is None:
            return self
        return self.filter(complaint__in=Complaint.objects.visible_to(user).values("pk"))


class CompensationEntry(models.Model):
    """CMP-8: one line of the fund's ledger — a top-up, a payout to a customer, or money recovered from the
    responsible party. Amounts are positive; the kind gives the sign. Never edited or deleted."""

    fund = models.ForeignKey(CompensationFund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("基金"))
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额"), **MONEY)
    balance_after = models.DecimalField(_("变动后余额"), **MONEY)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="compensation_entries",
        verbose_name=_("投诉"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("经办人"),
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("审批人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = CompensationEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("售后基金台账")
        verbose_name_plural = _("售后基金台账")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cp_entry_amount_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="cp_entry_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.kind == EntryKind.PAYOUT else self.amount


class CompensationRequest(models.Model):
    """CMP-8: a payout above the handler's authority, waiting for a higher level whose limit covers it."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="compensation_requests", verbose_name=_("投诉")
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_level = models.PositiveSmallIntegerField(_("申请人级别"), choices=ComplaintLevel.choices)
    required_level = models.PositiveSmallIntegerField(_("须审批级别"), choices=ComplaintLevel.choices)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=20, choices=CompensationRequestStatus.choices,
        default=CompensationRequestStatus.PENDING, db_index=True,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("审批人"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    entry = models.OneToOneField(
        CompensationEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="request",
        verbose_name=_("赔付台账"),
    )  # fmt: skip

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("超权限赔付申请")
        verbose_name_plural = _("超权限赔付申请")
        ordering = ["-requested_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="cp_request_amount_positive")]

    def __str__(self):
        return f"{self.complaint_id} ¥{self.amount} {self.status}"


class Recovery(models.Model):
    """CMP-8 (seed 004 "由相关责任人承担"): what the fund advanced on a complaint caused by a manufacturer, a
    provider or a staff member, claimed back from them; settling it writes a `recovery` ledger line."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="recoveries", verbose_name=_("投诉")
    )
    party = models.CharField(_("追偿对象类型"), max_length=20, choices=ResponsibleParty.choices)
    provider = models.ForeignKey(
        "network.ServiceProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("外协网点"),
    )  # fmt: skip
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("责任员工"),
    )  # fmt: skip
    party_name = models.CharField(_("追偿对象"), max_length=200)
    amount = models.DecimalField(_("应追偿金额"), **MONEY)
    status = models.CharField(_("状态"), max_length=20, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN)
    opened_at = models.DateTimeField(_("开立时间"), default=timezone.now)
    settled_at = models.DateTimeField(_("结清时间"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("结清经办人"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=300, blank=True)
    entry = models.OneToOneField(
        CompensationEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="recovery",
        verbose_name=_("收回台账"),
    )  # fmt: skip

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("追偿")
        verbose_name_plural = _("追偿")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cp_recovery_amount_positive"),
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status=RecoveryStatus.OPEN), name="uniq_open_recovery"
            ),
        ]

    def __str__(self):
        return f"{self.party_name} ¥{self.amount}"
