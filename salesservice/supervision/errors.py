"""Every error code the supervision app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/supervision.md lists them). Illegal moves (closing a finding that was not verified)
answer the kernel's `status.invalid_transition` (409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionErrorCode(models.TextChoices):
    CHECK_NOT_FOUND = "supervision.check_not_found", _("检查不存在或不在您的范围内（404）")
    FINDING_NOT_FOUND = "supervision.finding_not_found", _("整改项不存在或不在您的范围内（404）")
    ISSUE_NOT_FOUND = "supervision.issue_not_found", _("协调事项不存在或不在您的范围内（404）")
    CHECK_INVALID = "supervision.check_invalid", _("请填写检查单位、方式、标题、计划日期和至少一项检查内容")
    METHOD_NOT_ALLOWED = "supervision.method_not_allowed", _("店长只能在本店做店长抽查（SUV-3，403）")
    UNIT_OUT_OF_SCOPE = "supervision.unit_out_of_scope", _("所选单位不在您的范围内")
    CHECKLIST_INCOMPLETE = "supervision.checklist_incomplete", _("完成检查前每一项都须给出结论（409）")
    FAIL_NOTE_REQUIRED = "supervision.fail_note_required", _("不合格项须写明说明（SUV-2）")
    ITEM_UNKNOWN = "supervision.item_unknown", _("检查项不属于本次检查")
    FINDING_INVALID = "supervision.finding_invalid", _("整改项须写明问题、责任人和整改期限（SUV-2）")
    RECTIFICATION_REQUIRED = "supervision.rectification_required", _("请写明整改措施（SUV-2）")
    NOT_OWNER = "supervision.not_owner", _("只有整改责任人可以登记整改（403）")
    SELF_VERIFICATION = "supervision.self_verification", _("整改责任人不能验证自己的整改（403）")
    VERIFICATION_NOTE_REQUIRED = "supervision.verification_note_required", _("验证未通过须写明原因")
    ISSUE_INVALID = "supervision.issue_invalid", _("协调事项须写明标题、责任部门、责任人和期限（COM-1）")
    RESOLUTION_REQUIRED = "supervision.resolution_required", _("请写明解决情况（COM-1）")
