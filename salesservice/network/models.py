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

from .choices import DISPATCHABLE, EvaluationItem, ProviderStatus, ReportKind


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
