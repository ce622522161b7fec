"""Every error code the service desk raises (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/service-desk.md lists them). Members are named after the value
(`dispatch.uncertified` → `DISPATCH_UNCERTIFIED`); `core/tests/test_error_codes.py` fails when a service
raises a code written as a string instead of a member.

Codes every app shares come from `core` and are not repeated here unless the desk raises them itself:
`permission_denied` (403), `conflict.stale` (409, a stale `version`), `status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceErrorCode(models.TextChoices):
    """Why the service desk refused (status 400 unless noted: 403 scope, 404 not found, 409 conflict)."""

    # --- intake and edits (SRV-1) ---
    NO_STORE = "service.no_store", _("快速建档时受理人没有所属门店")
    SERVICE_REQUEST_NOT_FOUND = "service_request.not_found", _("服务单不存在或不在您的范围内（404）")
    SERVICE_REQUEST_CUSTOMER_NOT_FOUND = "service_request.customer_not_found", _("客户不存在或不在您的范围内")
    SERVICE_REQUEST_INVALID_STORE = "service_request.invalid_store", _("受理门店不是门店")
    SERVICE_REQUEST_STORE_OUT_OF_SCOPE = "service_request.store_out_of_scope", _("所选门店不在您的管辖范围内（403）")
    SERVICE_REQUEST_INVALID_CHANNEL = "service_request.invalid_channel", _("无效的受理渠道")
    SERVICE_REQUEST_INVALID_CATEGORY = "service_request.invalid_category", _("无效的服务类别")
    SERVICE_REQUEST_DESCRIPTION_REQUIRED = "service_request.description_required", _("未填写问题描述")
    SERVICE_REQUEST_PURCHASE_IN_FUTURE = "service_request.purchase_in_future", _("购买日期晚于受理日期")
    SERVICE_REQUEST_UNKNOWN_FIELDS = "service_request.unknown_fields", _("修改了不可修改的字段")
    SERVICE_REQUEST_FINAL = "service_request.final", _("已结案或已取消的服务单不能修改（409）")
    SERVICE_REQUEST_REASON_REQUIRED = "service_request.reason_required", _("等待客户或取消时未填写原因")
    SERVICE_REQUEST_TIME_BEFORE_PAUSE = "service_request.time_before_pause", _("恢复时间早于暂停时间")
    # The moment an action is recorded at (core.guards.checked_moment with prefix "service_request").
    SERVICE_REQUEST_NAIVE_DATETIME = "service_request.naive_datetime", _("时间（登记时间、预约时间）不带时区")
    SERVICE_REQUEST_FUTURE_TIME = "service_request.future_time", _("登记的时间晚于当前时间")
    SERVICE_REQUEST_TIME_BEFORE_RECEIPT = "service_request.time_before_receipt", _("登记的时间早于受理时间")
    STATUS_INVALID_TRANSITION = "status.invalid_transition", _("当前状态不允许此操作，如未在等待客户时恢复（409）")

    # --- dispatch (SRV-4, PPL-4, NET-3); refusals are 409 with every reason in `fields.reasons` ---
    DISPATCH_INVALID_MODE = "dispatch.invalid_mode", _("无效的派工方式")
    DISPATCH_ENGINEER_REQUIRED = "dispatch.engineer_required", _("派工未选择工程师")
    DISPATCH_ENGINEER_OUT_OF_SCOPE = "dispatch.engineer_out_of_scope", _("工程师不属于该门店的服务范围")
    DISPATCH_PROVIDER_REQUIRED = "dispatch.provider_required", _("外协派工未选择外协网点")
    DISPATCH_PROVIDER_OUT_OF_SCOPE = "dispatch.provider_out_of_scope", _("外协网点不服务于该门店")
    # Reasons of the gates the desk asks (people.certification_check, network.provider_dispatch_check).
    DISPATCH_UNCERTIFIED = "dispatch.uncertified", _("工程师没有该类商品的有效上岗资格证（PPL-4）")
    DISPATCH_ENGINEER_INACTIVE = "dispatch.engineer_inactive", _("工程师账号已停用")
    DISPATCH_PROVIDER_STOPPED = "dispatch.provider_stopped", _("外协网点已被停止派工（NET-3）")
    DISPATCH_PROVIDER_REMOVED = "dispatch.provider_removed", _("外协网点已撤点（NET-3）")

    # --- work records, resolution, acceptance, closing (SRV-3, SRV-5, SRV-6, SRV-8) ---
    WORK_RECORD_INVALID_CONDITION = "work_record.invalid_condition", _("维修前后状况缺少外观、功能或性能")
    WORK_RECORD_INVALID_STATUS = "work_record.invalid_status", _("服务单未派工，不能登记服务记录（409）")
    WORK_RECORD_MEASURES_REQUIRED = "work_record.measures_required", _("未填写处理措施")
    RESOLVE_CONDITION_UNCONFIRMED = (
        "resolve.condition_unconfirmed",
        _("维修未登记经客户确认的维修前后状况（SRV-6，409）"),
    )
    ACCEPTANCE_INVALID_METHOD = "acceptance.invalid_method", _("无效的验收确认方式")
    ACCEPTANCE_NOT_AWAITING = "acceptance.not_awaiting", _("服务单不在待验收状态（409）")
    ACCEPTANCE_RATING_REQUIRED = "acceptance.rating_required", _("验收评分不是 1–5 分")
    ACCEPTANCE_REASON_REQUIRED = "acceptance.reason_required", _("客户不认可时未填写原因")
    ACCEPTANCE_SIGNATURE_REQUIRED = (
        "acceptance.signature_required",
        _("当面或链接验收须有客户签名，或登记客户未签字的原因"),
    )
    ACCEPTANCE_INVALID_SIGNATURE = "acceptance.invalid_signature", _("签名不是不超过 1 MB 的 PNG 图片")
    ACCEPTANCE_LINK_INVALID = "acceptance.link_invalid", _("验收链接无效（404）")
    ACCEPTANCE_LINK_USED = "acceptance.link_used", _("验收链接已使用（409）")
    ACCEPTANCE_LINK_EXPIRED = "acceptance.link_expired", _("验收链接已过期（410）")
    CLOSE_INCOMPLETE = "close.incomplete", _("缺少原因分析、解决方案或客户验收评价，不能结案")

    # --- knowledge base (SRV-3 step 7, FBK-5) ---
    KNOWLEDGE_NOT_FOUND = "knowledge.not_found", _("知识库文章不存在（404）")
    KNOWLEDGE_TITLE_REQUIRED = "knowledge.title_required", _("知识库文章未填写标题")
    KNOWLEDGE_BODY_REQUIRED = "knowledge.body_required", _("知识库文章未填写正文")
    KNOWLEDGE_INVALID_CATEGORY = "knowledge.invalid_category", _("知识库文章的服务类别无效")
    KNOWLEDGE_UNKNOWN_FIELDS = "knowledge.unknown_fields", _("修改了知识库文章不可修改的字段")
    KNOWLEDGE_REQUEST_NOT_CLOSED = "knowledge.request_not_closed", _("服务单未结案，不能总结为知识库文章（409）")
