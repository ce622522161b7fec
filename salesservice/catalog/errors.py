"""Every error code the catalog raises (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/products-and-customers.md lists them). Members are named after the value
(`product.duplicate_code` → `PRODUCT_DUPLICATE_CODE`); `core/tests/test_error_codes.py` fails when a
service raises a code written as a string instead of a member.

The reasons a product may not be sold are not errors and have their own enums in `choices.py`:
`RestrictionReason` (QA flags, stored on `ProductRestriction.reason_code`) and `DerivedReason`.
Codes every app shares come from `core`: `permission_denied` (403), `conflict.stale` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogErrorCode(models.TextChoices):
    """Why a product, category or acceptance standard could not be saved (400 unless noted: 409)."""

    PRODUCT_UNKNOWN_FIELDS = "product.unknown_fields", _("设置或修改了商品不可修改的字段")
    PRODUCT_DUPLICATE_CODE = "product.duplicate_code", _("商品编码已存在")
    PRODUCT_INVALID = "product.invalid", _("商品数据未通过校验（逐字段说明见 fields）")
    RESTRICTION_INVALID_REASON = "restriction.invalid_reason", _("无效的禁售原因")
    RESTRICTION_REASON_REQUIRED = "restriction.reason_required", _("标记禁售未填写禁售说明")
    RESTRICTION_DUPLICATE = "restriction.duplicate", _("商品已因同一原因被禁止销售（409）")
    RESTRICTION_LIFT_REASON_REQUIRED = "restriction.lift_reason_required", _("解除禁售未填写解除原因")
    RESTRICTION_NOT_FOUND = "restriction.not_found", _("禁售标记不存在或不属于该商品")
    RESTRICTION_ALREADY_LIFTED = "restriction.already_lifted", _("禁售标记已解除（409）")
    SELLABILITY_INVALID_AT = "sellability.invalid_at", _("可销售查询的日期 at 不是 YYYY-MM-DD 格式")
    CATEGORY_DUPLICATE_CODE = "category.duplicate_code", _("分类编码已存在")
    CATEGORY_UNKNOWN_FIELDS = "category.unknown_fields", _("修改了分类不可修改的字段")
    CATEGORY_INVALID = "category.invalid", _("分类数据未通过校验（逐字段说明见 fields）")
    INSPECTION_TEMPLATE_DUPLICATE = "inspection_template.duplicate", _("验收标准名称已存在")
    INSPECTION_TEMPLATE_UNKNOWN_FIELDS = "inspection_template.unknown_fields", _("修改了验收标准不可修改的字段")
    INSPECTION_TEMPLATE_INVALID = "inspection_template.invalid", _("验收标准数据未通过校验（逐字段说明见 fields）")
    INSPECTION_TEMPLATE_INVALID_ITEM = "inspection_template.invalid_item", _("验收要点未选择类别或未填写内容")
