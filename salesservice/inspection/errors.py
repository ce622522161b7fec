"""Every error code the inspection app raises (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/customer-loop.md lists them). Members are named after the value
(`nonconformance.not_found` → `NONCONFORMANCE_NOT_FOUND`); `core/tests/test_error_codes.py` fails when a
service raises a code written as a string instead of a member.

Codes every app shares come from `core`: `permission_denied` (403), `conflict.stale` (409),
`status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionErrorCode(models.TextChoices):
    """Why a nonconformance record (SUP-8) could not be opened or disposed (400 unless noted)."""

    NONCONFORMANCE_NOT_FOUND = "nonconformance.not_found", _("不合格品记录不存在或不在您的范围内（404）")
    NONCONFORMANCE_NO_COMPANY = "nonconformance.no_company", _("未配置公司（总部）组织单位")
    NONCONFORMANCE_INVALID_SOURCE = (
        "nonconformance.invalid_source",
        _("来源无效（客户退换货的不合格品由退换货检验自动登记）"),
    )
    NONCONFORMANCE_UNIT_OUT_OF_SCOPE = "nonconformance.unit_out_of_scope", _("所选单位不在您的管辖范围内（403）")
    NONCONFORMANCE_DESCRIPTION_REQUIRED = "nonconformance.description_required", _("未填写不合格描述")
    NONCONFORMANCE_PRODUCT_REQUIRED = "nonconformance.product_required", _("未选择商品")
    NONCONFORMANCE_INVALID_QUANTITY = "nonconformance.invalid_quantity", _("数量不是正整数")
    NONCONFORMANCE_INVALID_DISPOSITION = "nonconformance.invalid_disposition", _("无效的处置方式")
    NONCONFORMANCE_CONCESSION_REASON_REQUIRED = (
        "nonconformance.concession_reason_required",
        _("让步接收未写明理由及批准依据"),
    )
    NONCONFORMANCE_CAPA_REQUIRED = (
        "nonconformance.capa_required",
        _("CAPA 至少须填写原因分析和纠正措施"),
    )
