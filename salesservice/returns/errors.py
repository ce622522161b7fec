"""Every error code the returns app raises or answers with (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/customer-loop.md lists them). Every value starts with `returns.`, which the member
name leaves out (`returns.not_found` → `NOT_FOUND`); `core/tests/test_error_codes.py` fails when the app
raises a code written as a string instead of a member.

Two kinds: the refusals of a service (400 unless noted: 403, 404), and the reasons of the rules' answer
(`rules.return_eligibility`), which never raise — they explain an `eligible: false`.
Codes every app shares come from `core`: `permission_denied` (403), `conflict.stale` (409),
`status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnsErrorCode(models.TextChoices):
    """Why a return request was refused, or why the rules do not grant what the customer asked."""

    # --- services: intake (RET-1) ---
    NOT_FOUND = "returns.not_found", _("退换货单不存在或不在您的范围内（404）")
    CUSTOMER_NOT_FOUND = "returns.customer_not_found", _("客户不存在或不在您的范围内")
    INVALID_STORE = "returns.invalid_store", _("受理门店不是门店")
    STORE_OUT_OF_SCOPE = "returns.store_out_of_scope", _("所选门店不在您的管辖范围内（403）")
    INVALID_SALE_CHANNEL = "returns.invalid_sale_channel", _("无效的销售方式")
    INVALID_REQUESTED_KIND = "returns.invalid_requested_kind", _("无效的客户诉求")
    SERVICE_REQUEST_MISMATCH = "returns.service_request_mismatch", _("关联服务单不属于该客户")
    # The moment an action is recorded at (core.guards.checked_moment with prefix "returns").
    NAIVE_DATETIME = "returns.naive_datetime", _("登记的时间不带时区")
    FUTURE_TIME = "returns.future_time", _("登记的时间晚于当前时间")
    TIME_BEFORE_RECEIPT = "returns.time_before_receipt", _("登记的时间早于申请时间")

    # --- services and the rules' input check: a field missing or invalid ---
    PRODUCT_REQUIRED = "returns.product_required", _("未选择商品")
    PURCHASE_DATE_REQUIRED = "returns.purchase_date_required", _("未填写购买（收货）日期")
    PURCHASE_IN_FUTURE = "returns.purchase_in_future", _("购买日期晚于申请日期")
    INVALID_REASON = "returns.invalid_reason", _("无效的退换货原因")
    INVALID_CONDITION = "returns.invalid_condition", _("无效的商品状况")
    INVALID_CHANNEL = "returns.invalid_channel", _("规则检查：无效的销售方式")
    INVALID_KIND = "returns.invalid_kind", _("规则检查：无效的客户诉求（退货/换货/维修）")

    # --- services: decision, receipt, inspection, resolution (RET-2) ---
    OVERRIDE_REASON_REQUIRED = "returns.override_reason_required", _("批准不符合规则的申请未填写特批理由")
    REASON_REQUIRED = "returns.reason_required", _("拒绝或取消未填写理由")
    REJECT_ELIGIBLE_NEEDS_SUPERVISOR = (
        "returns.reject_eligible_needs_supervisor",
        _("符合规则的申请须由经办人以外的主管审批拒绝（403）"),
    )
    NEGOTIATED_OUTCOME_REQUIRED = "returns.negotiated_outcome_required", _("人为损坏的商品未填写与客户的协商结果")
    QUALITY_PROBLEM_REQUIRED = "returns.quality_problem_required", _("检验未选择是否存在质量问题")
    FINDINGS_REQUIRED = "returns.findings_required", _("检验未填写检验结论")
    INVALID_AMOUNT = "returns.invalid_amount", _("退款金额无效（须大于 0）")
    REPLACEMENT_SERIAL_REQUIRED = "returns.replacement_serial_required", _("换货未填写新机序列号/批号")
    NOTE_REQUIRED = "returns.note_required", _("维修未填写维修内容")
    CLOSING_NOTE_REQUIRED = "returns.closing_note_required", _("未退款、换货或维修即结案，未填写结案说明")

    # --- the rules' answer (RET-1): why the requested kind is not granted ---
    CUSTOMER_DAMAGE = "returns.customer_damage", _("人为损坏：不属于退换货及三包范围，须协商处理")
    EXCLUDED_CATEGORY = "returns.excluded_category", _("该类商品被排除规则排除")
    NOT_COVERED = "returns.not_covered", _("非质量问题、也不属于无理由退货，须特批")
    NO_REASON_IN_STORE = "returns.no_reason_in_store", _("门店现场购买不适用无理由退货")
    NO_REASON_NOT_REPAIR = "returns.no_reason_not_repair", _("无理由退货只能退货退款，不能维修")
    NO_REASON_EXPIRED = "returns.no_reason_expired", _("已超过无理由退货期")
    CONDITION_NOT_MET = "returns.condition_not_met", _("无理由退货要求商品完好，商品不完好")
    QUALITY_RETURN_EXPIRED = "returns.quality_return_expired", _("已超过质量问题退货期，可换货或维修")
    QUALITY_EXCHANGE_EXPIRED = "returns.quality_exchange_expired", _("已超过质量问题换货期，保修期内可维修")
    WARRANTY_EXPIRED = "returns.warranty_expired", _("已过保修期，可有偿维修")
