"""After-sales service desk: service requests, their SLA facts, visits, acceptance, knowledge base.

Policy clauses: SRV-1 … SRV-11 (seed 001 第七/八/十四/十五条; seed 002 §6.6), FBK-5 (case summaries
into a knowledge base), PPL-4 / NET-3 (the dispatch gates, checked by the services).

Requests are scoped to their store (INF-1); the outsourced provider's dispatcher sees only the
requests dispatched to its provider (DESIGN §7). Status changes go through `services.py` and
`core.workflow.transition` only.
"""

import calendar
import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import (
    RUNNING_STATUSES,
    AcceptanceMethod,
    Channel,
    DispatchMode,
    KnowledgeStatus,
    ServiceCategory,
    ServiceRequestStatus,
    SlaClock,
    WarrantyStatus,
)

REVEAL_PERMISSION = "customers.reveal_customer_contact"


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's last day (2026-01-31 + 1 → 2026-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ServiceRequestQuerySet(ScopedQuerySet):
    """Org scope by store, plus — for a provider's dispatchers — the requests dispatched to that provider."""

    def visible_to(self, user):
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:  # HQ: everything
            return self
        provider_ids = dispatcher_provider_ids(user)
        condition = Q(store_id__in=unit_ids) if unit_ids else Q(pk__in=[])
        if provider_ids:
            condition |= Q(provider_id__in=provider_ids)
        return self.filter(condition)

    def running(self):
        """Requests whose SLA clocks run (not paused, not awaiting acceptance, not final)."""
        return self.filter(status__in=RUNNING_STATUSES)


def dispatcher_provider_ids(user) -> list[int]:
    """Ids of the providers `user` dispatches for: cached on the user object for the request, and per process
    under the configuration stamp (`core.config_cache`; the network app watches the dispatchers relation)."""
    cached = getattr(user, "_service_provider_ids", None)
    if cached is None:
        from salesservice.core import config_cache
        from salesservice.network.selectors import provider_ids_for_dispatcher

        cached = list(
            config_cache.cached(("provider-dispatch", user.pk), lambda: tuple(provider_ids_for_dispatcher(user)))
        )
        user._service_provider_ids = cached
    return cached


class ServiceRequest(VersionedModel):
    """A customer's after-sales service request 售后服务单 (SRV-1 … SRV-11).

    - SRV-1: the channel it came through; SRV-11: product, serial/batch and purchase date give the
      warranty status the service is provided under.
    - SRV-2: `first_contact_due_at` and `escalation_due_at` are computed on the SLA calendar in force
      at `received_at` (`sla.py`); `waiting_customer` pauses both clocks and resuming extends the
      open deadlines by the paused span measured in business time (`paused_business_seconds`).
      Breaches are recorded as `SlaBreach` facts; escalations as `Escalation` rows.
    - SRV-3/SRV-8: cause, solution, satisfaction and the responsible engineer are kept on the record
      and required before it closes; SRV-9: lists by time, type and responsible person.
    - SRV-10: the contact phone and address are personal data (masked; reveals are logged).
    """

    number = models.CharField(_("服务单号"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="service_requests", verbose_name=_("客户")
    )
    # store, assignee, provider: no index of their own — `sr_store_received`, `sr_assignee_status` and
    # `sr_provider_status` lead with them (issue 17: every index is written by each create and sweep update)
    store = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("受理门店"),
        db_index=False,
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("服务类别"), max_length=20, choices=ServiceCategory.choices)
    description = models.TextField(_("问题描述"))
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("商品"),
    )
    serial_number = models.CharField(_("序列号"), max_length=80, blank=True, db_index=True)
    batch_number = models.CharField(_("批号"), max_length=80, blank=True)
    purchase_date = models.DateField(_("购买日期"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("服务地址"), max_length=200, blank=True)

    status = models.CharField(
        _("状态"), max_length=20, choices=ServiceRequestStatus.choices, default=ServiceRequestStatus.RECEIVED
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("升级级别"), default=0, validators=[MaxValueValidator(2)], help_text=_("0 门店 / 1 区部 / 2 总部")
    )

    # SLA clocks (SRV-2)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    first_contact_due_at = models.DateTimeField(_("首次联系时限"))
    escalation_due_at = models.DateTimeField(_("升级时限"))
    first_contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    paused_at = models.DateTimeField(_("暂停开始"), null=True, blank=True)
    paused_from_status = models.CharField(
        _("暂停前状态"), max_length=20, choices=ServiceRequestStatus.choices, blank=True
    )
    paused_business_seconds = models.PositiveIntegerField(
        _("累计停表（业务秒）"), default=0, help_text=_("等待客户与待验收期间停表的业务时间合计")
    )
    first_contact_breached_at = models.DateTimeField(_("首次联系超时记录时间"), null=True, blank=True)
    escalation_exhausted_at = models.DateTimeField(
        _("总部级超时记录时间"), null=True, blank=True, help_text=_("已升至总部且再次超时：记录后不再升级")
    )
    warned_first_contact_at = models.DateTimeField(_("首次联系到期提醒时间"), null=True, blank=True)
    warned_escalation_at = models.DateTimeField(_("升级到期提醒时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    # Dispatch (SRV-4, PPL-4, NET-3)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_service_requests",
        verbose_name=_("负责工程师"),
        db_index=False,
    )
    provider = models.ForeignKey(
        "network.ServiceProvider",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name=_("外协网点"),
        db_index=False,
    )
    dispatch_mode = models.CharField(_("派工方式"), max_length=20, choices=DispatchMode.choices, blank=True)
    dispatched_at = models.DateTimeField(_("派工时间"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("预约时间"), null=True, blank=True)

    # Case summary (SRV-3, FBK-5) and satisfaction (SRV-5)
    root_cause = models.TextField(_("原因分析"), blank=True)
    solution = models.TextField(_("解决方案"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理人"),
    )

    objects = ServiceRequestQuerySet.as_manager()
    scope_field = "store"
    personal_data_fields = ("contact_phone", "address")
    reveal_permission = REVEAL_PERMISSION

    class Meta:
        verbose_name = _("售后服务单")
        verbose_name_plural = _("售后服务单")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("dispatch_servicerequest", _("可派工")),
            ("close_servicerequest", _("可结案")),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="sr_received_desc"),  # the default list order
            models.Index(fields=["store", "-received_at"], name="sr_store_received"),
            models.Index(fields=["assignee", "status"], name="sr_assignee_status"),
            models.Index(fields=["status", "escalation_due_at"], name="sr_status_esc_due"),
            models.Index(fields=["status", "first_contact_due_at"], name="sr_status_fc_due"),
            models.Index(fields=["provider", "status"], name="sr_provider_status"),
            # The sweep's work lists (SRV-2): partial, so they hold only what may still become due and
            # the sweep's cost follows the number due, not the number open (DESIGN §8).
            models.Index(
                fields=["first_contact_due_at"],
                name="sr_sweep_first_contact",
                condition=Q(
                    status__in=RUNNING_STATUSES,
                    first_contacted_at__isnull=True,
                    first_contact_breached_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["escalation_due_at"],
                name="sr_sweep_escalation",
                condition=Q(status__in=RUNNING_STATUSES, escalation_exhausted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(escalation_level__lte=2), name="sr_escalation_level_range"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="sr_satisfaction_range",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def warranty_until(self) -> dt.date | None:
        """SRV-11: the last day of the warranty (purchase date + the product's warranty months)."""
        if self.purchase_date is None or self.product_id is None:
            return None
        return add_months(self.purchase_date, self.product.warranty_months)

    @property
    def warranty_status(self) -> str:
        """保修期内 / 已过保 / 未知 (SRV-11), as of today."""
        until = self.warranty_until
        if until is None:
            return WarrantyStatus.UNKNOWN
        return WarrantyStatus.IN_WARRANTY if until >= timezone.localdate() else WarrantyStatus.EXPIRED

    @property
    def warranty_status_label(self) -> str:
        return str(WarrantyStatus(self.warranty_status).label)

    @property
    def is_paused(self) -> bool:
        return self.status == ServiceRequestStatus.WAITING_CUSTOMER

    @property
    def clock_running(self) -> bool:
        """Its SLA clocks run (not paused, not waiting for acceptance, not final)."""
        return self.status in RUNNING_STATUSES

    @property
    def is_dispatched(self) -> bool:
        """Dispatched and not yet started: dispatching again is a re-dispatch (改派)."""
        return self.status == ServiceRequestStatus.DISPATCHED

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Past the escalation deadline while its clock runs (the list's 超时 mark)."""
        now = now or timezone.now()
        return self.status in RUNNING_STATUSES and self.escalation_due_at <= now

    def is_first_contact_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status in RUNNING_STATUSES and self.first_contacted_at is None and self.first_contact_due_at <= now


class SlaBreach(models.Model):
    """SRV-2: a deadline that passed — which clock, at which level, by how much when recorded.

    A recorded fact: written once by the sweep (unique per request, clock and level) and never
    deleted or recomputed, even if the deadlines are later recomputed from history.
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="sla_breaches", verbose_name=_("服务单")
    )
    clock = models.CharField(_("计时"), max_length=20, choices=SlaClock.choices)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    due_at = models.DateTimeField(_("时限"))
    breached_at = models.DateTimeField(_("记录时间"))
    overdue_seconds = models.PositiveIntegerField(_("记录时超时（秒）"), default=0)

    class Meta:
        verbose_name = _("SLA 超时记录")
        verbose_name_plural = _("SLA 超时记录")
        ordering = ["request", "breached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "clock", "level"], name="uniq_sla_breach"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(clock=SlaClock.FIRST_CONTACT), name="uniq_first_contact_breach"
            ),
        ]

    def __str__(self):
        return f"{self.request_id} {self.clock} L{self.level}"


class Escalation(models.Model):
    """SRV-2: one step up the ladder store 0 → region 1 → HQ 2, with the deadline that was missed."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("服务单")
    )
    from_level = models.PositiveSmallIntegerField(_("原级别"))
    to_level = models.PositiveSmallIntegerField(_("升至级别"))
    due_at = models.DateTimeField(_("超过的时限"))
    at = models.DateTimeField(_("升级时间"))
    next_due_at = models.DateTimeField(_("下一时限"))
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("升级记录")
        verbose_name_plural = _("升级记录")
        ordering = ["request", "to_level"]
        constraints = [models.UniqueConstraint(fields=["request", "to_level"], name="uniq_escalation_level")]

    def __str__(self):
        return f"{self.request_id} {self.from_level}→{self.to_level}"


class RequestChildQuerySet(models.QuerySet):
    """Rows that belong to a request are visible exactly when their request is."""

    def visible_to(self, user):
        return self.filter(request__in=ServiceRequest.objects.visible_to(user).values("pk"))


class WorkRecord(models.Model):
    """One visit or work session on a request (SRV-3, SRV-6, SRV-7; seed 001 第十四条 服务过程).

    Time, place, people and measures; the product's condition before and after the repair
    (appearance / function / performance) each confirmed with the customer (seed 002 §6.6.3);
    the on-site rules checklist (seed 002 §6.6.4); parts used; photos as core attachments; items
    taken into custody in the customer property register (CPR-1).
    """

    # The place of an on-site visit is the customer's address: personal data, masked in the audit log (INF-1).
    personal_data_fields = ("place",)

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="work_records", verbose_name=_("服务单")
    )
    visited_at = models.DateTimeField(_("服务时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    people = models.CharField(_("人员"), max_length=200, blank=True)
    measures = models.TextField(_("处理措施"))
    condition_before = models.JSONField(
        _("维修前状况"), default=dict, blank=True, help_text=_("{appearance, function, performance} 外观/功能/性能")
    )
    condition_after = models.JSONField(_("维修后状况"), default=dict, blank=True)
    before_confirmed_by_customer = models.BooleanField(_("维修前状况经客户确认"), default=False)
    after_confirmed_by_customer = models.BooleanField(_("维修后状况经客户确认"), default=False)
    parts_used = models.TextField(_("使用配件"), blank=True)
    protected_equipment = models.BooleanField(_("已保护现场设备设施"), default=False)
    no_unauthorised_use = models.BooleanField(_("未经允许未使用客户设备"), default=False)
    cleaned_up = models.BooleanField(_("完工后已清理恢复现场"), default=False)
    custody_items = models.ManyToManyField(
        "customers.CustomerProperty", blank=True, related_name="work_records", verbose_name=_("带回保管物品")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RequestChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["request", "visited_at", "id"]

    def __str__(self):
        return f"{self.request_id} @ {self.visited_at:%Y-%m-%d %H:%M}"

    @property
    def checklist_complete(self) -> bool:
        """SRV-7: all three on-site rules ticked."""
        return self.protected_equipment and self.no_unauthorised_use and self.cleaned_up


def signature_path(instance, filename: str) -> str:
    """Signatures are stored under an unguessable name."""
    suffix = PurePath(filename).suffix.lower()[:10] or ".png"
    return f"service/signatures/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Acceptance(models.Model):
    """SRV-5/SRV-6: the customer's verdict on the result — accepted (rating, signature) or rejected (reason).

    Given through a tokenised link (`link`, no login; `recorded_by` empty) or recorded by staff
    with how it was given (on site, by phone …).
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("服务单")
    )
    method = models.CharField(_("方式"), max_length=20, choices=AcceptanceMethod.choices)
    accepted = models.BooleanField(_("认可"))
    rejection_reason = models.TextField(_("不认可原因"), blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价"), blank=True)
    signer_name = models.CharField(_("签字人"), max_length=60, blank=True)
    signature = models.FileField(_("签名"), upload_to=signature_path, max_length=200, blank=True)
    # Issue 12 §11: an acceptance given in person carries the customer's signature — or staff record why not.
    signature_declined_reason = models.CharField(_("客户未签字原因"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    link = models.ForeignKey(
        "AcceptanceLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验收链接")
    )

    objects = RequestChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户验收")
        verbose_name_plural = _("客户验收")
        ordering = ["request", "accepted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="acceptance_rating_range"
            )
        ]

    def __str__(self):
        return f"{self.request_id} {'✓' if self.accepted else '✗'}"


class AcceptanceLink(models.Model):
    """A one-time link the customer opens to sign off the result (SRV-5). Only the token's sha256 is stored."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, related_name="acceptance_links", verbose_name=_("服务单")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequestChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("验收链接")
        verbose_name_plural = _("验收链接")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.request_id} → {self.expires_at:%Y-%m-%d %H:%M}"


class KnowledgeQuerySet(models.QuerySet):
    """The knowledge base is company-wide (FBK-5): whoever may view articles sees all of them."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.has_perm("service.view_knowledgearticle"):
            return self.none()
        return self

    def published(self):
        return self.filter(status=KnowledgeStatus.PUBLISHED)


class KnowledgeArticle(VersionedModel):
    """A knowledge-base article 知识库 — typical cases summarised for reuse (SRV-3 step 7, FBK-5; seed 001 第七条).

    Searchable in Chinese by title and body (substring), by service category, product category
    and product; `source_request` links a case summary to the request it came from.
    """

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    service_category = models.CharField(_("服务类别"), max_length=20, choices=ServiceCategory.choices, blank=True)
    product_category = models.ForeignKey(
        "catalog.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("商品分类"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("商品"),
    )
    source_request = models.ForeignKey(
        ServiceRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("来源服务单"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=KnowledgeStatus.choices, default=KnowledgeStatus.DRAFT)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("作者"),
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("知识库文章")
        verbose_name_plural = _("知识库文章")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_knowledgearticle", _("可发布知识库文章"))]
        indexes = [models.Index(fields=["status", "service_category"], name="kb_status_category")]

    def __str__(self):
        return self.title
