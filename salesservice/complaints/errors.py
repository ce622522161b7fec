"""Every error code the complaints app raises (CONVENTIONS: a per-app error-code enum, as Saleor's).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/customer-loop.md lists them). Members are named after the value
(`complaint.final` → `COMPLAINT_FINAL`); `core/tests/test_error_codes.py` fails when a service raises a
code written as a string instead of a member.

Codes every app shares come from `core` and are not repeated here unless complaints raise them themselves:
`permission_denied` (403), `conflict.stale` (409, a stale `version`), `status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintsErrorCode(models.TextChoices):
    """Why a complaint, payout or improvement action was refused (400 unless noted: 403, 404, 409)."""

    # --- intake (CMP-1, CMP-7) ---
    COMPLAINT_NO_STORE = "complaint.no_store", _("快速建档时受理人没有所属门店")
    COMPLAINT_NOT_FOUND = "complaint.not_found", _("投诉不存在或不在您的范围内（404）")
    COMPLAINT_SERVICE_REQUEST_NOT_FOUND = "complaint.service_request_not_found", _("关联服务单不存在或不在您的范围内")
    COMPLAINT_SERVICE_REQUEST_CUSTOMER = "complaint.service_request_customer", _("关联服务单不属于该客户")
    COMPLAINT_CUSTOMER_NOT_FOUND = "complaint.customer_not_found", _("客户不存在或不在您的范围内")
    COMPLAINT_INVALID_STORE = "complaint.invalid_store", _("受理门店不是门店")
    COMPLAINT_STORE_OUT_OF_SCOPE = "complaint.store_out_of_scope", _("所选门店不在您的管辖范围内（403）")
    COMPLAINT_INVALID_CHANNEL = "complaint.invalid_channel", _("无效的投诉渠道")
    COMPLAINT_SUBJECT_REQUIRED = "complaint.subject_required", _("未填写投诉主题")
    COMPLAINT_DESCRIPTION_REQUIRED = "complaint.description_required", _("未填写投诉内容")
    COMPLAINT_PROMISE_REQUIRED = "complaint.promise_required", _("现场或电话投诉未填写向客户承诺的处理时限")
    COMPLAINT_PROMISE_IN_PAST = "complaint.promise_in_past", _("承诺处理时限不晚于受理时间")
    COMPLAINT_HANDLER_OUT_OF_SCOPE = "complaint.handler_out_of_scope", _("处理人不属于该门店的范围")
    AMOUNT_INVALID = "amount.invalid", _("金额无效：须为正数、最多两位小数（索赔金额不能为负）")
    # The moment an action is recorded at (core.guards.checked_moment with prefix "complaint").
    COMPLAINT_NAIVE_DATETIME = "complaint.naive_datetime", _("时间（登记时间、承诺时限）不带时区")
    COMPLAINT_FUTURE_TIME = "complaint.future_time", _("登记的时间晚于当前时间")
    COMPLAINT_TIME_BEFORE_RECEIPT = "complaint.time_before_receipt", _("登记的时间早于受理时间")

    # --- the flow (CMP-2 … CMP-5) and three-level handling (CMP-7) ---
    COMPLAINT_FINAL = "complaint.final", _("投诉已结案、取消或撤诉，不能再处理（409）")
    COMPLAINT_ALREADY_RESPONDED = "complaint.already_responded", _("已记录过首次答复（409）")
    COMPLAINT_NOTE_REQUIRED = "complaint.note_required", _("未填写答复内容")
    COMPLAINT_NOTES_REQUIRED = "complaint.notes_required", _("未填写核实情况")
    COMPLAINT_SOLUTION_REQUIRED = "complaint.solution_required", _("未填写解决方案")
    COMPLAINT_FEEDBACK_REQUIRED = "complaint.feedback_required", _("未填写向客户反馈的处理结果")
    COMPLAINT_REASON_REQUIRED = "complaint.reason_required", _("未填写原因（客户不认可或不满意、取消、撤诉、升级）")
    COMPLAINT_INVALID_SATISFACTION = "complaint.invalid_satisfaction", _("满意度不是 1–5")
    COMPLAINT_RESPONSIBLE_PARTY_REQUIRED = "complaint.responsible_party_required", _("未选择责任方")
    COMPLAINT_RESPONSIBLE_PROVIDER_REQUIRED = (
        "complaint.responsible_provider_required",
        _("责任方为外协网点时未选择网点"),
    )
    COMPLAINT_RESPONSIBLE_USER_REQUIRED = "complaint.responsible_user_required", _("责任方为员工时未选择责任员工")
    COMPLAINT_RESPONSIBLE_DETAIL_REQUIRED = "complaint.responsible_detail_required", _("未填写责任厂家或责任部门名称")
    COMPLAINT_HAS_PAYOUTS = "complaint.has_payouts", _("已先行赔付的投诉不能取消或撤诉（409）")
    ESCALATION_MAX_LEVEL = "escalation.max_level", _("投诉已由总部处理，不能再升级（409）")
    COMPLAINT_LEVEL_AUTHORITY = "complaint.level_authority", _("投诉已升级，所在层级不能结案或先行赔付（403）")
    CLOSE_ROOT_CAUSE_REQUIRED = "close.root_cause_required", _("结案未填写根本原因")
    CLOSE_IMPROVEMENT_REQUIRED = "close.improvement_required", _("结案未登记改进措施")
    CLOSE_PENDING_COMPENSATION = "close.pending_compensation", _("还有待审批的超权限赔付申请，不能结案")

    # --- improvement actions (CMP-5) ---
    IMPROVEMENT_DESCRIPTION_REQUIRED = "improvement.description_required", _("未填写改进措施内容")
    IMPROVEMENT_OWNER_REQUIRED = "improvement.owner_required", _("未选择改进措施负责人")
    IMPROVEMENT_DUE_DATE_REQUIRED = "improvement.due_date_required", _("未填写改进措施完成期限")
    IMPROVEMENT_DUE_DATE_PAST = "improvement.due_date_past", _("改进措施完成期限早于今天")
    IMPROVEMENT_NOT_FOUND = "improvement.not_found", _("改进措施不存在或不在您的范围内（404）")
    IMPROVEMENT_ALREADY_DONE = "improvement.already_done", _("改进措施已确认完成（409）")
    PERMISSION_DENIED = "permission_denied", _("只有负责人或有结案权限的人员可以确认改进措施完成（403）")

    # --- advance compensation, the fund, recoveries (CMP-8) ---
    COMPENSATION_INVALID_STATUS = "compensation.invalid_status", _("投诉当前状态不能先行赔付（409）")
    COMPENSATION_OVER_HQ_LIMIT = "compensation.over_hq_limit", _("金额超出总部先行赔付权限，须报总经理审批（409）")
    COMPENSATION_REQUEST_NOT_FOUND = "compensation.request_not_found", _("赔付申请不存在或不在您的范围内（404）")
    COMPENSATION_ALREADY_DECIDED = "compensation.already_decided", _("赔付申请已审批（409）")
    COMPENSATION_APPROVER_LEVEL = "compensation.approver_level", _("审批人级别不足以批准该金额（403）")
    COMPENSATION_REASON_REQUIRED = "compensation.reason_required", _("驳回赔付申请未填写理由")
    FUND_INSUFFICIENT = "fund.insufficient", _("售后基金余额不足（409）")
    FUND_NOTE_REQUIRED = "fund.note_required", _("注资未填写说明（来源/批文）")
    RECOVERY_NOT_FOUND = "recovery.not_found", _("追偿记录不存在或不在您的范围内（404）")
    RECOVERY_NOT_OPEN = "recovery.not_open", _("追偿已结清或已撤销（409）")
