"""Choices of the complaints app: the complaint statuses, channels, levels, the responsible party, the
compensation ledger and recovery states, the SLA clocks and timeline events.

Which status moves a document may make is declared once, in `workflows.py` (DESIGN §4; CONVENTIONS "state
changes go through one door"): services call `WORKFLOW.check(obj, "<action>")` and `WORKFLOW.move(...)`;
nothing else assigns a status.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintStatus(models.TextChoices):
    """Seed 003 四 客户投诉处理流程: 投诉受理 → 问题核实 → 解决方案制定 → 沟通反馈（客户认可）→ 处理 → 结果反馈 → 总结改进（结案）."""

    RECEIVED = "received", _("受理")
    VERIFYING = "verifying", _("核实")
    SOLUTION_PROPOSED = "solution_proposed", _("方案")
    AGREED = "agreed", _("客户认可")
    IMPLEMENTING = "implementing", _("处理")
    FEEDBACK_GIVEN = "feedback_given", _("结果反馈")
    CLOSED = "closed", _("结案")
    CANCELLED = "cancelled", _("已取消")
    WITHDRAWN = "withdrawn", _("客户撤诉")


C = ComplaintStatus

# The status moves of a complaint are declared in `workflows.py` (COMPLAINT_WORKFLOW).
FINAL_STATUSES = (C.CLOSED, C.CANCELLED, C.WITHDRAWN)
OPEN_STATUSES = (C.RECEIVED, C.VERIFYING, C.SOLUTION_PROPOSED, C.AGREED, C.IMPLEMENTING, C.FEEDBACK_GIVEN)
# The escalation clock runs until the result is fed back to the customer (CMP-7: "unresolved").
RUNNING_STATUSES = (C.RECEIVED, C.VERIFYING, C.SOLUTION_PROPOSED, C.AGREED, C.IMPLEMENTING)
# Advance compensation (CMP-8) may be paid while the complaint is being handled.
PAYABLE_STATUSES = OPEN_STATUSES


class ComplaintChannel(models.TextChoices):
    """CMP-1: how the complaint reached us (seed 000 客戶投訴處理; 003 客戶監督 意见箱)."""

    HOTLINE = "hotline", _("400热线")
    WALK_IN = "walk_in", _("到店")
    STORE = "store", _("门店登记")
    EMAIL = "email", _("邮件")
    ONLINE = "online", _("在线")
    API = "api", _("API")
    SUGGESTION_BOX = "suggestion_box", _("意见箱")


class ComplaintLevel(models.IntegerChoices):
    """CMP-7 (seed 004 通程): the store handles daily complaints, the region assists, HQ (服管处) handles major ones."""

    STORE = 0, _("门店")
    REGION = 1, _("区部")
    HQ = 2, _("总部")


MAX_LEVEL = ComplaintLevel.HQ


class ResponsibleParty(models.TextChoices):
    """CMP-3/CMP-8: who caused it — and who bears the advance compensation afterwards."""

    MANUFACTURER = "manufacturer", _("生产厂家")
    PROVIDER = "provider", _("外协网点")
    OUR_DEPARTMENT = "our_department", _("本公司部门")
    STAFF = "staff", _("员工个人")
    CUSTOMER = "customer", _("客户自身")
    NONE = "none", _("无责任方")


# CMP-8: "由相关责任人承担" — a payout on a complaint caused by these is recovered from them.
RECOVERABLE_PARTIES = (ResponsibleParty.MANUFACTURER, ResponsibleParty.PROVIDER, ResponsibleParty.STAFF)


class ComplaintClock(models.TextChoices):
    """CMP-2 / CMP-7: the two clocks of a complaint."""

    FIRST_RESPONSE = "first_response", _("首次答复")
    ESCALATION = "escalation", _("升级/解决")


class EntryKind(models.TextChoices):
    """CMP-8: the lines of the after-sales fund's ledger (售后基金台账)."""

    TOP_UP = "top_up", _("注资")
    PAYOUT = "payout", _("先行赔付")
    RECOVERY = "recovery", _("追偿收回")


class CompensationRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("追偿中")
    SETTLED = "settled", _("已结清")
    CANCELLED = "cancelled", _("已撤销")  # the responsibility was re-attributed before anything was recovered


class EventType(models.TextChoices):
    """Typed timeline events of the complaints app (registered in ComplaintsConfig.ready)."""

    COMPLAINT_CREATED = "complaints.created", _("受理投诉")
    COMPLAINT_RESPONDED = "complaints.responded", _("首次答复客户")
    COMPLAINT_VERIFIED = "complaints.verifying", _("核实投诉")
    SOLUTION_PROPOSED = "complaints.solution_proposed", _("提出解决方案")
    CUSTOMER_AGREED = "complaints.customer_agreed", _("客户认可方案")
    CUSTOMER_REFUSED = "complaints.customer_refused", _("客户不认可方案")
    IMPLEMENTING = "complaints.implementing", _("按方案处理")
    FEEDBACK_GIVEN = "complaints.feedback_given", _("反馈处理结果")
    COMPLAINT_CLOSED = "complaints.closed", _("投诉结案")
    COMPLAINT_CANCELLED = "complaints.cancelled", _("取消投诉")
    COMPLAINT_WITHDRAWN = "complaints.withdrawn", _("客户撤诉")
    ESCALATED = "complaints.escalated", _("投诉升级")
    SLA_BREACHED = "complaints.sla_breached", _("投诉超时")
    IMPROVEMENT_ADDED = "complaints.improvement_added", _("登记改进措施")
    IMPROVEMENT_DONE = "complaints.improvement_done", _("改进措施完成")
    COMPENSATION_PAID = "complaints.compensation_paid", _("先行赔付")
    COMPENSATION_REQUESTED = "complaints.compensation_requested", _("超权限赔付待审批")
    COMPENSATION_APPROVED = "complaints.compensation_approved", _("批准超权限赔付")
    COMPENSATION_REJECTED = "complaints.compensation_rejected", _("驳回超权限赔付")
    FUND_TOPPED_UP = "complaints.fund_topped_up", _("售后基金注资")
    RECOVERY_OPENED = "complaints.recovery_opened", _("开立追偿")
    RECOVERY_SETTLED = "complaints.recovery_settled", _("追偿结清")
    RECOVERY_CANCELLED = "complaints.recovery_cancelled", _("撤销追偿")
