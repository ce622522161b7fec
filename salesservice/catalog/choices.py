"""Choices of the catalog: tracking modes, medical-device classes, sellability reasons, events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceClass(models.TextChoices):
    """Medical-device class (医疗器械分类). Customers' qualifications are checked against it (BUY-1)."""

    NONE = "none", _("非医疗器械")
    CLASS_I = "I", _("第一类")
    CLASS_II = "II", _("第二类")
    CLASS_III = "III", _("第三类")


class TrackingMode(models.TextChoices):
    """How stock of a product is traced (PRD-3: product registry for traceability)."""

    NONE = "none", _("不追踪")
    BATCH = "batch", _("按批号")
    SERIAL = "serial", _("按序列号")


class InspectionGroup(models.TextChoices):
    """The four aspects of an acceptance standard (seed 000 商品验收: 外观、性能、规格、数量)."""

    APPEARANCE = "appearance", _("外观")
    PERFORMANCE = "performance", _("性能")
    SPECIFICATION = "specification", _("规格")
    QUANTITY = "quantity", _("数量")


class RestrictionReason(models.TextChoices):
    """The cases of seed 002 §6.2 that only a QA judgement can establish (PRD-1); QA sets them as flags."""

    BANNED_BY_LAW = "banned_by_law", _("国家法律法规明令禁止生产和销售")
    SAFETY_STANDARD_NOT_MET = "safety_standard_not_met", _("安全要求未达到相关标准")
    FALSE_QUALITY_MARKS = "false_quality_marks", _("冒用优质或质量认证标志，伪造许可证标志")
    COUNTERFEIT_OR_USED = "counterfeit_or_used", _("以假充真或以旧充新")
    PERFORMANCE_NOT_MET = "performance_not_met", _("标明的性能指标与实际不符")


class DerivedReason(models.TextChoices):
    """Sellability reasons derived from a product's recorded attributes (PRD-1, PRD-2)."""

    NO_CERTIFICATE = "no_certificate", _("无合格证或其他质量证明")
    PRODUCTION_LICENCE_MISSING = "production_licence_missing", _("实施生产许可证管理而未取得生产许可证")
    MISSING_IDENTITY = "missing_identity", _("未标注产品名称、生产者或产地")
    REGISTRATION_MISSING = "registration_missing", _("医疗器械无注册证号或备案凭证号")
    REGISTRATION_EXPIRED = "registration_expired", _("注册证/备案凭证已过期")
    NO_CHINESE_LABEL = "no_chinese_label", _("医疗器械无中文标签")


class EventType(models.TextChoices):
    """Typed timeline events of the catalog app."""

    PRODUCT_CREATED = "catalog.product_created", _("新建商品")
    PRODUCT_UPDATED = "catalog.product_updated", _("修改商品")
    PRODUCT_RESTRICTED = "catalog.product_restricted", _("标记禁止销售")
    PRODUCT_RESTRICTION_LIFTED = "catalog.product_restriction_lifted", _("解除禁止销售")
    CATEGORY_CREATED = "catalog.category_created", _("新建商品分类")
    CATEGORY_UPDATED = "catalog.category_updated", _("修改商品分类")
    INSPECTION_TEMPLATE_CREATED = "catalog.inspection_template_created", _("新建验收标准")
    INSPECTION_TEMPLATE_UPDATED = "catalog.inspection_template_updated", _("修改验收标准")
