"""Choices of the suppliers app: standing bands, qualification document kinds, evaluation criteria, the
qualified list's statuses and the app's timeline events.

SUP-1: suppliers are evaluated on seven criteria (seed 000 供應商選擇; 002 §6.3.1) and their total puts them in
a standing band that lets purchasing order (qualified), warns it (conditional) or blocks it (disqualified).
SUP-2: only suppliers on the approved qualified-supplier list 合格供方名单 receive purchase orders.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Standing(models.TextChoices):
    """SUP-1: the band of the supplier's latest evaluation (unevaluated until the first one)."""

    UNEVALUATED = "unevaluated", _("未评价")
    QUALIFIED = "qualified", _("合格")
    CONDITIONAL = "conditional", _("有条件合格（观察）")
    DISQUALIFIED = "disqualified", _("不合格")


STANDING_COLORS = {
    Standing.UNEVALUATED: "bg-secondary-lt",
    Standing.QUALIFIED: "bg-green-lt",
    Standing.CONDITIONAL: "bg-yellow-lt",
    Standing.DISQUALIFIED: "bg-red-lt",
}


class DocumentKind(models.TextChoices):
    """Qualification documents of a supplier's dossier (SUP-2, SUP-3)."""

    BUSINESS_LICENCE = "business_licence", _("营业执照")
    OPERATION_LICENCE = "operation_licence", _("医疗器械经营许可证")
    PRODUCTION_LICENCE = "production_licence", _("生产许可证")
    REGISTRATION_CERTIFICATE = "registration_certificate", _("注册证")
    AUTHORISATION_LETTER = "authorisation_letter", _("授权书")
    QUALITY_AGREEMENT = "quality_agreement", _("质量保证协议")


class Criterion(models.TextChoices):
    """SUP-1: the seven evaluation criteria of the seeds (000 供應商選擇; 002 §6.3.1)."""

    QUALIFICATION = "qualification", _("资质")
    REPUTATION = "reputation", _("信誉")
    CAPACITY = "capacity", _("供货能力（按量）")
    PRODUCT_QUALITY = "product_quality", _("产品质量")
    CERTIFICATION = "certification", _("质量认证")
    BRAND = "brand", _("品牌")
    SERVICE = "service", _("服务（按时）")


# Criteria computed from the registered execution figures (SUP-5) when the period has deliveries:
# product quality ← receipt pass rate less a penalty per nonconformance, capacity ← lines complete in
# quantity, service ← lines delivered on time. The others are entered by the evaluator.
COMPUTED_CRITERIA = (Criterion.PRODUCT_QUALITY, Criterion.CAPACITY, Criterion.SERVICE)


class ScoreSource(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    ENTERED = "entered", _("人工录入")


class QualifiedListStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准（现行）")
    SUPERSEDED = "superseded", _("已被替代")


class EventType(models.TextChoices):
    """Typed timeline events of the suppliers app (registered in SuppliersConfig.ready)."""

    SUPPLIER_CREATED = "suppliers.created", _("登记供应商")
    SUPPLIER_UPDATED = "suppliers.updated", _("修改供应商")
    SUPPLIER_SUSPENDED = "suppliers.suspended", _("暂停供应商")
    SUPPLIER_REINSTATED = "suppliers.reinstated", _("恢复供应商")
    DOCUMENT_ADDED = "suppliers.document_added", _("登记资质文件")
    DOCUMENT_UPDATED = "suppliers.document_updated", _("修改资质文件")
    DOCUMENT_REMINDED = "suppliers.document_reminded", _("资质文件到期提醒")
    EVALUATED = "suppliers.evaluated", _("供应商评价")
    LIST_CREATED = "suppliers.list_created", _("编制合格供方名单")
    LIST_ENTRY_SET = "suppliers.list_entry_set", _("修改名单条目")
    LIST_ENTRY_REMOVED = "suppliers.list_entry_removed", _("移除名单条目")
    LIST_SUBMITTED = "suppliers.list_submitted", _("提交合格供方名单")
    LIST_RETURNED = "suppliers.list_returned", _("退回合格供方名单")
    LIST_APPROVED = "suppliers.list_approved", _("批准合格供方名单")
    LIST_SUPERSEDED = "suppliers.list_superseded", _("合格供方名单被替代")
