"""Delivery: the delivery note 交付单 of a shipped sales order, its pick list, transit incidents, the joint
acceptance at handover with the customer's signature, the customer training record and the release gate.

- `Delivery` 交付单 (DEL-1, DEL-3, DEL-6, DEL-7, TRC-1): created when the goods leave the warehouse (the
  sales order's `ship` action): carrier, tracking number, packing fit for transport, the pick list; the
  contract's obligations (installation, training, protection to the destination) copied onto it. Released
  (the order becomes delivered) only when every required activity is done, or under a concession the
  customer approved — lawful and recallable (004 §4.6.2).
- `DeliveryLine`: one lot (or serial) picked from one location for one order line — the pick list and the
  link to the GSP sales record (TRC-1).
- `AcceptanceCheck`: one item of the joint final check (002 §6.5.1): packing list, appearance, installation
  and commissioning, function — pass / fail / not applicable, with a note.
- `Replacement`: a defective unit replaced from stock at handover (which lot replaced which).
- `TrainingRecord` 培训记录 (DEL-4) and `DeliveryIncident` 交付异常 (DEL-2).

Never deleted: they are the delivery records 004 §4.6 asks to keep.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import CheckItem, CheckResult, DeliveryStatus, IncidentKind, InformChannel, Requirement

USER = settings.AUTH_USER_MODEL


def signature_path(instance, filename: str) -> str:
    """Signatures are stored under an unguessable name (as the service app stores its acceptances')."""
    suffix = PurePath(filename).suffix.lower()[:10] or ".png"
    return f"delivery/signatures/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Delivery(VersionedModel):
    """A delivery note 交付单 (DEL-1…DEL-7, TRC-1; seeds 000 商品交付, 002 §6.5, 004 §4.6).

    shipped 已发货 ──accept──▶ accepted 已验收 ──release──▶ released 已放行交付; `release` straight from
    shipped only under an approved concession (DEL-6). Scoped to the order's unit (`org_unit`).
    """

    number = models.CharField(_("交付单号"), max_length=30, unique=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    order = models.ForeignKey(
        "sales.SalesOrder", on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("销售订单")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("客户")
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("发货仓库")
    )
    status = models.CharField(_("状态"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.SHIPPED)
    shipped_at = models.DateTimeField(_("发货时间"))
    shipped_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发货人")
    )
    carrier = models.CharField(_("承运方"), max_length=100)
    tracking_no = models.CharField(_("运单号"), max_length=60)
    packing = models.CharField(_("包装方式"), max_length=200, help_text=_("适合运输的包装（DEL-1）"))
    package_count = models.PositiveIntegerField(_("件数"), validators=[MinValueValidator(1)])
    note = models.TextField(_("备注"), blank=True)
    # DEL-7 / DEL-3 / DEL-4: the contract's delivery obligations, copied at shipment.
    protect_to_destination = models.BooleanField(_("防护延伸至目的地"), default=False)
    installation_required = models.BooleanField(_("需安装调试"), default=False)
    training_required = models.BooleanField(_("需客户培训"), default=False)
    acceptance_terms = models.TextField(_("验收条款"), blank=True)
    # DEL-3: the joint acceptance at handover.
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("验收经办人")
    )
    acceptance_note = models.TextField(_("验收结论"), blank=True)
    signer_name = models.CharField(_("客户签字人"), max_length=60, blank=True)
    signature = models.FileField(_("客户签名"), upload_to=signature_path, max_length=200, blank=True)
    signature_declined_reason = models.CharField(_("客户未签字原因"), max_length=200, blank=True)
    # DEL-6: a release the customer approved without every required activity.
    concession_representative = models.CharField(_("批准让步的客户代表"), max_length=60, blank=True)
    concession_reason = models.CharField(_("让步理由"), max_length=300, blank=True)
    concession_lawful = models.BooleanField(_("符合法律法规"), default=False)
    concession_recallable = models.BooleanField(_("可追溯、可追回"), default=False)
    concession_missing = models.JSONField(_("让步时未完成的活动"), default=list, blank=True)
    concession_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("让步批准人")
    )
    concession_approved_at = models.DateTimeField(_("让步批准时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("放行时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("放行人")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("交付单")
        verbose_name_plural = _("交付单")
        ordering = ["-shipped_at", "-id"]
        permissions = [
            ("accept_delivery", "可办理交付验收、培训与异常登记"),
            ("approve_concession", "可批准让步放行"),
            ("release_delivery", "可放行交付"),
        ]
        indexes = [
            models.Index(fields=["status", "-shipped_at"], name="delivery_status_shipped"),
            models.Index(fields=["tracking_no"], name="delivery_tracking"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_signed(self) -> bool:
        return bool(self.signature)

    @property
    def concession_approved(self) -> bool:
        return self.concession_approved_at is not None

    @property
    def release_missing(self) -> list[str]:
        """DEL-6: the required activities not yet done (`Requirement` values; empty: may be released).

        Acceptance passed (DEL-3) and signed by the customer; installation and commissioning passed when the
        contract requires it; a training record when the contract requires training (DEL-4). Reads the
        prefetched checks and trainings when a list prefetched them."""
        missing = []
        if self.accepted_at is None:
            missing.append(Requirement.ACCEPTANCE)
        elif not self.signature:
            missing.append(Requirement.SIGNATURE)
        if self.installation_required:
            passed = self.accepted_at is not None and any(
                c.item == CheckItem.INSTALLATION and c.result == CheckResult.PASS for c in self.checks.all()
            )
            if not passed:
                missing.append(Requirement.INSTALLATION)
        if self.training_required and not len(self.trainings.all()):
            missing.append(Requirement.TRAINING)
        return [str(value) for value in missing]


class DeliveryLine(models.Model):
    """One pick-list line 拣货明细: a lot (or serial) of an order line, from a location, with its quantity
    (DEL-1), as issued from stock; the GSP sales record of the same lot carries the delivery's number (TRC-1)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines", verbose_name=_("交付单"))
    order_line = models.ForeignKey(
        "sales.SalesOrderLine", on_delete=models.PROTECT, related_name="+", verbose_name=_("订单明细")
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("商品"))
    lot = models.ForeignKey("inventory.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("批次"))
    location_code = models.CharField(_("货位"), max_length=30, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    replaced_quantity = models.PositiveIntegerField(_("已更换数量"), default=0)

    class Meta:
        verbose_name = _("交付明细")
        verbose_name_plural = _("交付明细")
        ordering = ["delivery", "id"]

    def __str__(self):
        return f"{self.delivery_id}:{self.lot_id}×{self.quantity}"


class AcceptanceCheck(models.Model):
    """One item of the joint final check at handover (DEL-3): pass / fail / n.a. with a note."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="checks", verbose_name=_("交付单"))
    item = models.CharField(_("验收项目"), max_length=20, choices=CheckItem.choices)
    result = models.CharField(_("结论"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("验收项目")
        verbose_name_plural = _("验收项目")
        ordering = ["delivery", "id"]

    def __str__(self):
        return f"{self.item}: {self.result}"


class Replacement(models.Model):
    """A defective unit replaced from stock at handover (DEL-3, 002 §6.5.1): which lot replaced which."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="replacements", verbose_name=_("交付单")
    )
    line = models.ForeignKey(
        DeliveryLine, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("交付明细")
    )
    defective_lot = models.ForeignKey(
        "inventory.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("缺陷批次")
    )
    replacement_lot = models.ForeignKey(
        "inventory.Lot", on_delete=models.PROTECT, related_name="+", verbose_name=_("更换批次")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    note = models.CharField(_("缺陷说明"), max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    replaced_at = models.DateTimeField(_("更换时间"))

    class Meta:
        verbose_name = _("缺陷品更换")
        verbose_name_plural = _("缺陷品更换")
        ordering = ["delivery", "id"]

    def __str__(self):
        return f"{self.defective_lot_id}→{self.replacement_lot_id}×{self.quantity}"


class TrainingRecord(models.Model):
    """A customer training record 培训记录 (DEL-4, 002 §6.5.1): who was trained, on what, by whom, when,
    confirmed by the customer's signature or name."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("交付单"))
    trained_on = models.DateField(_("培训日期"))
    trainer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("培训人")
    )
    trainer_name = models.CharField(_("培训人"), max_length=60)
    trainees = models.CharField(_("受训人员"), max_length=300)
    content = models.TextField(_("培训内容"))
    customer_signer_name = models.CharField(_("客户确认人"), max_length=60, blank=True)
    signature = models.FileField(_("客户签名"), upload_to=signature_path, max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("客户培训记录")
        verbose_name_plural = _("客户培训记录")
        ordering = ["delivery", "trained_on", "id"]

    def __str__(self):
        return f"{self.delivery_id} {self.trained_on}"


class DeliveryIncident(models.Model):
    """A delay or damage in transit 交付异常 (DEL-2, seed 000): what happened, when and how the customer was
    told, and the remedy. One not told within `delivery.incident_inform_hours` is reminded once."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("交付单"))
    kind = models.CharField(_("异常类型"), max_length=20, choices=IncidentKind.choices)
    description = models.TextField(_("情况说明"))
    occurred_at = models.DateTimeField(_("发生时间"))
    reported_by = models.ForeignKey(
        USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    reported_at = models.DateTimeField(_("登记时间"))
    customer_informed_at = models.DateTimeField(_("告知客户时间"), null=True, blank=True)
    informed_how = models.CharField(_("告知方式"), max_length=20, choices=InformChannel.choices, blank=True)
    remedy = models.TextField(_("补救措施"), blank=True)
    reminded_at = models.DateTimeField(_("未告知提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交付异常")
        verbose_name_plural = _("交付异常")
        ordering = ["delivery", "occurred_at", "id"]
        indexes = [models.Index(fields=["customer_informed_at", "reported_at"], name="delivery_incident_open")]

    def __str__(self):
        return f"{self.delivery_id} {self.kind}"
