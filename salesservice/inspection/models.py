"""Inspection: the nonconformance record 不合格品 (SUP-8).

Minimal for issue 5 — a quality return opens one (RET-2 → SUP-8); receiving inspection (进货检验) will open
them too once the supply side is built. Scoped to an org unit: the store of the return, or HQ for records
raised centrally (INF-1).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import Disposition, NonconformanceSource, NonconformanceStatus


class Nonconformance(VersionedModel):
    """A nonconforming product 不合格品 and its disposition (SUP-8: 002 §6.3.4; 004 §4.2).

    `source_return` links the customer return whose inspection found a quality problem. The disposition
    (退供方 / 返工 / 报废 / 让步接收) is decided by a permitted user (`decided_by`, `decided_at`), then the record
    is closed. Never deleted (TRC-4: inspection records are kept).
    """

    number = models.CharField(_("不合格品单号"), max_length=30, unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=NonconformanceSource.choices)
    source_return = models.ForeignKey(
        "returns.ReturnRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformances",
        verbose_name=_("来源退换货单"),
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="nonconformances", verbose_name=_("所属单位")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="nonconformances", verbose_name=_("商品")
    )
    batch_number = models.CharField(_("批号"), max_length=80, blank=True)
    serial_number = models.CharField(_("序列号"), max_length=80, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    description = models.TextField(_("不合格描述"))
    status = models.CharField(
        _("状态"), max_length=20, choices=NonconformanceStatus.choices, default=NonconformanceStatus.OPEN
    )
    disposition = models.CharField(_("处置方式"), max_length=30, choices=Disposition.choices, blank=True)
    disposition_note = models.TextField(_("处置说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("处置决定人"),
    )
    decided_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("登记时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closing_note = models.CharField(_("关闭说明"), max_length=300, blank=True)
    # CAPA 纠正预防措施 (SUP-8: 002 §6.3.4; seed 000 驗收流程 — the cause is analysed and recurrence prevented).
    root_cause = models.TextField(_("原因分析"), blank=True)
    corrective_action = models.TextField(_("纠正措施"), blank=True)
    preventive_action = models.TextField(_("预防措施"), blank=True)
    verification = models.TextField(_("验证"), blank=True)
    capa_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("CAPA 记录人"),
    )
    capa_at = models.DateTimeField(_("CAPA 记录时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("不合格品")
        verbose_name_plural = _("不合格品")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "-opened_at"], name="nc_unit_opened"),
            models.Index(fields=["status", "-opened_at"], name="nc_status_opened"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="nc_quantity_positive"),
        ]

    def __str__(self):
        return self.number
