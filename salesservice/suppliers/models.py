"""Suppliers 供应商 (SUP-1, SUP-2, SUP-3).

- `Supplier`: the dossier's head — who the supplier is, the purchasing department that owns it (scope),
  its standing band from the latest evaluation (SUP-1) and whether purchasing is suspended.
- `SupplierDocument`: a qualification document (licences, registration certificates, authorisation letters)
  or the quality-assurance agreement (SUP-3), each with its scope and expiry; reminded before it expires.
- `Evaluation`: one evaluation per supplier and period on the seven criteria (SUP-1), with the weights in
  force, scores computed from the execution figures (SUP-5) or entered, the total and the band.
- `QualifiedList` 合格供方名单 with its `QualifiedListEntry` rows: the approved list purchasing may order
  from (SUP-2), per supplier the products and/or categories it is qualified for.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.models.base import ScopedQuerySet, VersionedModel

from .choices import DocumentKind, QualifiedListStatus, Standing


class Supplier(VersionedModel):
    """A supplier 供应商 (SUP-1, SUP-2). `standing` is set only by an evaluation (services.evaluation_record);
    `is_suspended` only by `supplier_suspend` / `supplier_reinstate`. The contact phone is personal data:
    masked in lists and the API."""

    number = models.CharField(_("供应商编号"), max_length=30, unique=True)
    name = models.CharField(_("供应商名称"), max_length=200, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="suppliers", verbose_name=_("负责部门")
    )
    standing = models.CharField(_("评价结果"), max_length=20, choices=Standing.choices, default=Standing.UNEVALUATED)
    standing_note = models.CharField(_("评价说明"), max_length=300, blank=True)
    evaluated_at = models.DateTimeField(_("最近评价时间"), null=True, blank=True)
    is_suspended = models.BooleanField(_("暂停采购"), default=False)
    suspended_reason = models.CharField(_("暂停原因"), max_length=300, blank=True)
    suspended_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"
    personal_data_fields = ("phone",)

    class Meta:
        verbose_name = _("供应商")
        verbose_name_plural = _("供应商")
        ordering = ["number"]
        permissions = [("suspend_supplier", _("可暂停/恢复供应商"))]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="supplier_credit_code_unique"
            ),
        ]

    def __str__(self):
        return self.name


class SupplierDocument(VersionedModel):
    """A qualification document or the quality-assurance agreement of a supplier (SUP-2, SUP-3).

    `expires_on` empty means long-term (长期). `products`: for a registration certificate or an authorisation
    letter, the products it covers. `reminded_for` holds the expiry last reminded about, so the daily
    reminder runs once per expiry. The scan is a core attachment.
    """

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="documents", verbose_name=_("供应商"))
    kind = models.CharField(_("类型"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("证号/协议编号"), max_length=100)
    scope = models.TextField(_("范围"), blank=True)
    products = models.ManyToManyField(
        "catalog.Product", blank=True, related_name="supplier_documents", verbose_name=_("涉及商品")
    )
    valid_from = models.DateField(_("有效期起"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空表示长期有效"))
    reminded_for = models.DateField(_("已提醒的到期日"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "supplier__org_unit"

    class Meta:
        verbose_name = _("资质文件")
        verbose_name_plural = _("资质文件")
        ordering = ["supplier_id", "kind", "-valid_from"]
        indexes = [models.Index(fields=["expires_on"], name="supdoc_expires")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.expires_on is None or day <= self.expires_on)

    def expired_on(self, day: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < day


class Evaluation(models.Model):
    """One evaluation of a supplier over a period (SUP-1; SUP-5 feeds the computed scores).

    `scores`: {criterion: {"score", "source": computed|entered, "weight"}}; `figures`: the execution figures
    of the period (None: no deliveries). An empty period (no figures, nothing entered) has `empty` set, no
    total and no band: the supplier keeps its last standing (`standing_after` = `standing_before`).
    """

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("供应商")
    )
    period_start = models.DateField(_("评价期间起"))
    period_end = models.DateField(_("评价期间止"))
    weights = models.JSONField(_("权重"), default=dict)
    scores = models.JSONField(_("各项得分"), default=dict)
    figures = models.JSONField(_("执行数据"), null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    band = models.CharField(_("评价等级"), max_length=20, choices=Standing.choices, blank=True)
    empty = models.BooleanField(_("空期间（沿用上期）"), default=False)
    standing_before = models.CharField(_("评价前"), max_length=20, choices=Standing.choices)
    standing_after = models.CharField(_("评价后"), max_length=20, choices=Standing.choices)
    summary = models.CharField(_("结论"), max_length=300, blank=True)
    note = models.TextField(_("评价意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("评价人"),
    )  # fmt: skip
    evaluated_at = models.DateTimeField(_("评价时间"))

    objects = ScopedQuerySet.as_manager()
    scope_field = "supplier__org_unit"

    class Meta:
        verbose_name = _("供应商评价")
        verbose_name_plural = _("供应商评价")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period_start", "period_end"], name="evaluation_period_unique"),
        ]

    def __str__(self):
        return f"{self.supplier} {self.period_start}–{self.period_end}"


class QualifiedList(VersionedModel):
    """The qualified-supplier list 合格供方名单 (SUP-2; 002 §6.3.1): draft → submitted → approved; approving
    one supersedes the list approved before. Purchase orders go only to suppliers of the current approved
    list, for the products their entry covers (`services.order_check`)."""

    number = models.CharField(_("名单编号"), max_length=30, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="qualified_lists", verbose_name=_("编制部门")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=QualifiedListStatus.choices, default=QualifiedListStatus.DRAFT
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("编制人"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("批准人"),
    )  # fmt: skip
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approval_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("替代时间"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("被替代为")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        verbose_name = _("合格供方名单")
        verbose_name_plural = _("合格供方名单")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_qualifiedlist", _("可批准合格供方名单"))]
        indexes = [models.Index(fields=["status", "-approved_at"], name="ql_status_approved")]

    def __str__(self):
        return f"{self.number} {self.title}"


class QualifiedListEntry(models.Model):
    """A supplier on a qualified list, with the products and/or categories (sub-categories included) it is
    qualified to supply (SUP-2)."""

    qualified_list = models.ForeignKey(
        QualifiedList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("名单")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="list_entries", verbose_name=_("供应商")
    )
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+", verbose_name=_("商品"))
    categories = models.ManyToManyField(
        "catalog.ProductCategory", blank=True, related_name="+", verbose_name=_("商品类别")
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        ordering = ["qualified_list_id", "supplier__number"]
        constraints = [
            models.UniqueConstraint(fields=["qualified_list", "supplier"], name="ql_entry_supplier_unique"),
        ]

    def __str__(self):
        return f"{self.qualified_list.number} · {self.supplier}"

    def covers(self, product) -> bool:
        """Whether this entry qualifies its supplier for `product` (listed, or in a listed category's subtree)."""
        if any(p.pk == product.pk for p in self.products.all()):
            return True
        category_path = getattr(product.category, "path", "") if product.category_id else ""
        return bool(category_path) and any(category_path.startswith(c.path) for c in self.categories.all() if c.path)
