"""Every error code the network app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/network.md lists them). Illegal moves (approving an evaluation that was not
submitted, a ladder step that is not one) answer the kernel's `status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkErrorCode(models.TextChoices):
    # providers and the ladder (NET-1, NET-3)
    PROVIDER_UNKNOWN_FIELDS = "provider.unknown_fields", _("不可设置或修改的字段")
    PROVIDER_DUPLICATE_CODE = "provider.duplicate_code", _("网点编码已存在")
    PROVIDER_INVALID = "provider.invalid", _("网点资料不合法（字段错误）")
    PROVIDER_OUT_OF_SCOPE = "provider.out_of_scope", _("所选服务区域不在您的管辖范围内（403）")
    PROVIDER_REASON_REQUIRED = "provider.reason_required", _("变更网点状态须填写原因")
    PROVIDER_INVALID_STATUS = "provider.invalid_status", _("无效的网点状态")
    PROVIDER_NOT_FOUND = "provider.not_found", _("外协网点不存在或不在您的范围内（404）")
    VIOLATION_DESCRIPTION_REQUIRED = "violation.description_required", _("请填写违规情况")
    VIOLATION_INVALID_ITEM = "violation.invalid_item", _("无效的评测项目")
    VIOLATION_INVALID_DATE = "violation.invalid_date", _("违规发生日期不能晚于今天")
    VIOLATION_PROVIDER_REMOVED = "violation.provider_removed", _("外协网点已撤点，不能再登记违规")
    REPORT_INVALID_KIND = "provider_report.invalid_kind", _("无效的报告类型")
    # the dispatch gates the service desk calls (NET-3, NET-4)
    DISPATCH_PROVIDER_STOPPED = "dispatch.provider_stopped", _("外协网点已被停止派工（NET-3）")
    DISPATCH_PROVIDER_REMOVED = "dispatch.provider_removed", _("外协网点已撤点（NET-3）")
    DISPATCH_TECHNICIAN_STOPPED = "dispatch.technician_stopped", _("网点技师已被停止工作，不能派工（NET-4）")
    DISPATCH_TECHNICIAN_LEFT = "dispatch.technician_left", _("网点技师已离职，不能派工")
    # technicians and quarterly training (NET-4)
    TECHNICIAN_NOT_FOUND = "technician.not_found", _("网点技师不存在或不在您的范围内（404）")
    TECHNICIAN_INVALID = "technician.invalid", _("请填写技师姓名（不超过 60 字）和有效的联系电话")
    TECHNICIAN_NOT_ACTIVE = "technician.not_active", _("技师已离职，不能再登记培训")
    TECHNICIAN_INVALID_STATUS = "technician.invalid_status", _("无效的技师状态变更")
    TRAINING_INVALID_QUARTER = "training.invalid_quarter", _("季度格式应为 2026-Q4，且不能晚于本季度")
    TRAINING_INVALID_DATE = "training.invalid_date", _("培训日期须在该季度内且不晚于今天")
    TRAINING_INVALID_SCORE = "training.invalid_score", _("成绩须在 0–100 之间")
    TRAINING_TOPIC_REQUIRED = "training.topic_required", _("请填写培训课程（不超过 200 字）")
    TRAINING_DUPLICATE = "training.duplicate", _("该技师本季度已有培训考核记录（每人每季度一条，409）")
    # region evaluations (NET-5)
    EVALUATION_NOT_FOUND = "provider_evaluation.not_found", _("网点评价不存在或不在您的范围内（404）")
    EVALUATION_INVALID = "provider_evaluation.invalid", _("评价须写明期间（起止日期）、各项得分（0–100）和结论")
    EVALUATION_PROPOSAL_INVALID = "provider_evaluation.proposal_invalid", _("新建网点建议须写明区域和理由")
    EVALUATION_SELF_APPROVAL = "provider_evaluation.self_approval", _("不能审批自己提交的评价（403）")
    EVALUATION_REASON_REQUIRED = "provider_evaluation.reason_required", _("退回评价须写明原因")
