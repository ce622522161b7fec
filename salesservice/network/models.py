"""Outsourced service providers (外协网点) and their violations (NET-1…NET-4).

A provider serves an org unit (a region or a store); its dispatchers are external logins that
see only the work dispatched to it. Its status is the sanction ladder of seed 004 (NET-3).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import (
    DISPATCHABLE,
    EvaluationConclusion,
    EvaluationItem,
    EvaluationStatus,
    ProviderStatus,
    ReportKind,
    TechnicianStatus,
)


class ServiceProviderQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """HQ sees all. Others see providers serving one of their units or a unit above them (a
        region's provider serves its stores); a provider's dispatcher also sees its own provider."""
        from salesservice.core.models import OrgUnit
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:
            return self
        serving = set(unit_ids)
        for path in OrgUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True):
            serving.update(int(part) for part in path.strip("/").split("/") if part)
        own = ServiceProvider.dispatchers.through.objects.filter(user_id=user.pk).values("serviceprovider_id")
        return self.filter(Q(org_unit_id__in=serving) | Q(pk__in=own))

    def dispatchable(self):
        return self.filter(status__in=DISPATCHABLE)


class ServiceProvider(VersionedModel):
    """An outsourced service point (外协网点, NET-1…NET-4).

    `status` moves only through the ladder declared in `workflows.py` (`PROVIDER_WORKFLOW`);
    `dispatch_stopped` and `removed` refuse dispatch (NET-3).
    """

    code = models.CharField(_("网点编码"), max_length=40, unique=True)
    name = models.CharField(_("网点名称"), max_length=200)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="service_providers", verbose_name=_("服务区域")
    )
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        "catalog.ProductCategory", blank=True, related_name="service_providers", verbose_name=_("服务品类")
    )
    dispatchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="service_providers", verbose_name=_("网点调度账号")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE, db_index=True
    )
    status_reason = models.TextField(_("状态变更原因"), blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    objects = ServiceProviderQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("外协网点")
        verbose_name_plural = _("外协网点")
        ordering = ["code"]
        permissions = [("change_provider_status", _("可变更外协网点状态"))]
        indexes = [
            models.Index(fields=["org_unit", "status"], name="network_provider_unit_status"),
            models.Index(fields=["name"], name="network_provider_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def can_dispatch(self) -> bool:
        return self.status in DISPATCHABLE

    @property
    def is_removed(self) -> bool:
        """撤点: the final rung — no more edits or violations."""
        return self.status == ProviderStatus.REMOVED


class ProviderChildQuerySet(ScopedQuerySet):
    """Records of a provider (technicians, trainings, evaluations): visible where the provider is."""

    def visible_to(self, user):
        if user is not None and user.is_superuser:
            return self
        return self.filter(provider__in=ServiceProvider.objects.visible_to(user))


class ProviderViolation(models.Model):
    """A recorded violation of a provider (NET-1 complaints, NET-3 ladder by monthly count)."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="violations", verbose_name=_("外协网点")
    )
    occurred_on = models.DateField(_("发生日期"))
    item = models.CharField(_("评测项目"), max_length=20, choices=EvaluationItem.choices, default=EvaluationItem.OTHER)
    description = models.TextField(_("违规情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网点违规记录")
        verbose_name_plural = _("网点违规记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["provider", "occurred_on"], name="network_violation_provider_day")]

    def __str__(self):
        return f"{self.provider_id} {self.occurred_on}"


class ProviderSanction(models.Model):
    """A sanction notice 网点处理通知 (NET-3): one document per rung the provider is moved up the ladder — the
    warning letter 警告函, the rectification order 限期整改通知 (with its deadline), the stop-dispatch notice 停止派工通知
    and the removal notice 撤点通知 — with the month's violation count that reached it, the notice text sent to the
    provider's dispatchers and the managers, and whether the ladder applied it on the count (`automatic`) or a
    manager decided it. Never edited or deleted: it is the provider's case file (案宗)."""

    number = models.CharField(_("通知编号"), max_length=30, unique=True)
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("外协网点")
    )
    rung = models.CharField(_("处理"), max_length=20, choices=ProviderStatus.choices)
    month = models.DateField(_("违规月份"), help_text=_("当月第一天"))
    violation_count = models.PositiveIntegerField(_("当月违规次数"), default=0)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    reason = models.TextField(_("原因"))
    notice = models.TextField(_("通知内容"))
    automatic = models.BooleanField(_("按阶梯自动处理"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("签发人"),
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网点处理通知")
        verbose_name_plural = _("网点处理通知")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["provider", "issued_at"], name="network_sanction_provider_at")]

    def __str__(self):
        return self.number


class ProviderReport(models.Model):
    """The service quality report of the outsourced network (NET-1, NET-2): the weekly 服务质量周报 (every Monday,
    the previous Monday–Sunday) and the monthly roll-up 月度汇总 (on the 1st, the previous month), generated by the
    scheduler. One row per provider: the complaint cases of the period by evaluation item (the weekly report lists
    them), the month's and cumulative counts, the status and the rung the ladder reaches, the notices issued — the
    figures of the provider's case file (案宗). Archived: generated once per period, never rewritten."""

    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    rows = models.JSONField(_("网点明细"), default=list)
    totals = models.JSONField(_("合计"), default=dict)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("生成人"),
    )

    class Meta:
        verbose_name = _("网点服务质量报告")
        verbose_name_plural = _("网点服务质量报告")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start"], name="network_report_kind_period_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("network:report-detail", args=[self.pk])


class ProviderTechnician(VersionedModel):
    """An installation technician 安装技师 of an outsourced provider (NET-4; seed 004 通程: technicians trained
    each quarter). `stopped` after `network.failed_quarters_to_stop` consecutive failed quarters — a stopped
    technician may not be assigned work (`services.technician_assign_check`). The phone is masked unless the
    reader may reveal personal data."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="technicians", verbose_name=_("外协网点")
    )
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    categories = models.ManyToManyField(
        "catalog.ProductCategory", blank=True, related_name="provider_technicians", verbose_name=_("技能品类")
    )
    skills = models.CharField(_("技能"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=TechnicianStatus.choices, default=TechnicianStatus.ACTIVE, db_index=True
    )
    stopped_at = models.DateTimeField(_("停止工作时间"), null=True, blank=True)
    stopped_reason = models.TextField(_("停止原因"), blank=True)
    added_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("网点技师")
        verbose_name_plural = _("网点技师")
        ordering = ["provider_id", "name", "id"]
        permissions = [("record_technician_training", _("可登记网点技师培训考核"))]

    def __str__(self):
        return self.name


class TechnicianTraining(models.Model):
    """One quarter's training and test of a technician (NET-4): one row per technician per quarter (DB unique);
    `passed` is the score against the course's pass mark as the provider's trainer recorded it."""

    technician = models.ForeignKey(
        ProviderTechnician, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("技师")
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("外协网点")
    )
    quarter = models.CharField(_("季度"), max_length=7, help_text=_("如 2026-Q4"))
    trained_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训课程"), max_length=200)
    score = models.PositiveSmallIntegerField(_("成绩"))
    passed = models.BooleanField(_("合格"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("技师季度培训考核")
        verbose_name_plural = _("技师季度培训考核")
        ordering = ["-quarter", "technician_id"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "quarter"], name="network_training_technician_quarter")
        ]
        indexes = [models.Index(fields=["provider", "quarter"], name="network_training_provider_q")]

    def __str__(self):
        return f"{self.technician_id} {self.quarter}"


class TrainingQuarter(models.Model):
    """The quarter's close for one provider (NET-4), written once by the quarterly task: trained, passed, the pass
    rate against `network.training_pass_rate_min`, whether it is flagged, and the technicians not trained at all
    (the shortfall). The weekly/monthly reports and the case file read it."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="training_quarters", verbose_name=_("外协网点")
    )
    quarter = models.CharField(_("季度"), max_length=7)
    technicians = models.PositiveIntegerField(_("在册技师"), default=0)
    trained = models.PositiveIntegerField(_("参训人数"), default=0)
    passed = models.PositiveIntegerField(_("合格人数"), default=0)
    pass_rate = models.DecimalField(_("合格率 %"), max_digits=5, decimal_places=1, null=True, blank=True)
    rate_min = models.DecimalField(_("合格率下限 %"), max_digits=5, decimal_places=1)
    flagged = models.BooleanField(_("未达标"), default=False)
    untrained = models.JSONField(_("未参训技师"), default=list)
    computed_at = models.DateTimeField(_("统计时间"), default=timezone.now)

    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("网点季度培训合格率")
        verbose_name_plural = _("网点季度培训合格率")
        ordering = ["-quarter", "provider_id"]
        constraints = [models.UniqueConstraint(fields=["provider", "quarter"], name="network_training_quarter_unique")]

    def __str__(self):
        return f"{self.provider_id} {self.quarter}"


class ProviderEvaluation(VersionedModel):
    """A region's periodic evaluation of a provider (NET-5; seed 004: 区部定期对外协售后网点的考察、评价；对新售后
    合作网点前期建点考察及不符合规范售后网点淘汰的建议). The computed part (cases, violations by item, last pass
    rate) is taken from the records when it is drafted; the region manager adds scores on the evaluation items, a
    conclusion and proposals (a new service point in an area with its reason; removal). draft → submitted →
    approved / rejected by the HQ network manager (`EVALUATION_WORKFLOW`); an approved removal moves the provider
    to 撤点 through the ladder with its notice."""

    number = models.CharField(_("评价编号"), max_length=30, unique=True)
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("外协网点")
    )
    period_start = models.DateField(_("评价期间起"))
    period_end = models.DateField(_("评价期间止"))
    scores = models.JSONField(_("评测项目得分"), default=dict)
    computed = models.JSONField(_("记录统计"), default=dict)
    conclusion = models.CharField(_("结论"), max_length=10, choices=EvaluationConclusion.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    propose_new_point = models.BooleanField(_("建议新建网点"), default=False)
    new_point_area = models.CharField(_("新建网点区域"), max_length=200, blank=True)
    new_point_reason = models.TextField(_("新建网点理由"), blank=True)
    propose_removal = models.BooleanField(_("建议撤点"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = ProviderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("网点评价")
        verbose_name_plural = _("网点评价")
        ordering = ["-period_end", "-id"]
        permissions = [("approve_providerevaluation", _("可审批外协网点评价"))]

    def __str__(self):
        return self.number
