"""The lifecycles of the supervision documents, declared once (core.workflow).

check:   planned 已计划 ──start──▶ in_progress 检查中 ──complete (every item answered)──▶ completed 已完成
finding: open 待整改 ──rectify (owner)──▶ rectified ──verify (not the owner)──▶ verified ──close──▶ closed
         rectified ──verify, not passed──▶ open            (close only from verified: SUV-2)
issue:   open 处理中 ──resolve──▶ resolved 已解决 ──close──▶ closed 已关闭   (COM-1)
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import CheckStatus as C
from .choices import EventType
from .choices import FindingStatus as F
from .choices import IssueStatus as I
from .errors import SupervisionErrorCode as E

SERVICES = "salesservice.supervision.services"
FORMS = "salesservice.supervision.forms"
SERIALIZERS = "salesservice.supervision.api.serializers"

CHECK_WORKFLOW = Workflow(
    "supervision.SupervisionCheck",
    id_kwarg="check_id",
    detail_url="supervision:check-detail",
    action_url="supervision:check-action",
    related=("org_unit", "checker"),
    states=[
        State(C.PLANNED, "bg-blue-lt"),
        State(C.IN_PROGRESS, "bg-purple-lt"),
        State(C.COMPLETED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "start",
            _("开始检查"),
            sources=[C.PLANNED],
            target=C.IN_PROGRESS,
            permission="supervision.perform_supervisioncheck",
            service=f"{SERVICES}.check_start",
            event_type=EventType.CHECK_STARTED,
            success=_("检查已开始"),
            summary=_("开始检查（SUV-1）"),
        ),
        Action(
            "complete",
            _("完成检查"),
            sources=[C.IN_PROGRESS],
            target=C.COMPLETED,
            permission="supervision.perform_supervisioncheck",
            service=f"{SERVICES}.check_complete",
            form=f"{FORMS}.CompleteForm",
            serializer=f"{SERIALIZERS}.CheckCompleteSerializer",
            event_type=EventType.CHECK_COMPLETED,
            success=_("检查已完成；不合格项已生成整改项"),
            style="success",
            template="supervision/_complete_form.html",
            summary=_("完成检查：逐项结论（不合格须说明，自动生成整改项）、总结与改进建议（SUV-2）"),
            errors={
                E.CHECKLIST_INCOMPLETE: E.CHECKLIST_INCOMPLETE.label,
                E.FAIL_NOTE_REQUIRED: E.FAIL_NOTE_REQUIRED.label,
                E.ITEM_UNKNOWN: E.ITEM_UNKNOWN.label,
            },
        ),
    ],
)

FINDING_WORKFLOW = Workflow(
    "supervision.Finding",
    id_kwarg="finding_id",
    detail_url="supervision:finding-detail",
    action_url="supervision:finding-action",
    related=("org_unit", "owner", "check_record"),
    states=[
        State(F.OPEN, "bg-red-lt"),
        State(F.RECTIFIED, "bg-orange-lt"),
        State(F.VERIFIED, "bg-azure-lt"),
        State(F.CLOSED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "rectify",
            _("登记整改"),
            sources=[F.OPEN],
            target=F.RECTIFIED,
            permission="supervision.rectify_finding",
            service=f"{SERVICES}.finding_rectify",
            form=f"{FORMS}.RectifyForm",
            serializer=f"{SERIALIZERS}.FindingRectifySerializer",
            event_type=EventType.FINDING_RECTIFIED,
            success=_("整改已登记，待验证"),
            summary=_("整改责任人登记整改措施（SUV-2）"),
            errors={E.NOT_OWNER: E.NOT_OWNER.label, E.RECTIFICATION_REQUIRED: E.RECTIFICATION_REQUIRED.label},
        ),
        Action(
            "verify",
            _("验证整改"),
            sources=[F.RECTIFIED],
            target=F.VERIFIED,
            targets=(F.OPEN,),
            permission="supervision.verify_finding",
            service=f"{SERVICES}.finding_verify",
            form=f"{FORMS}.VerifyForm",
            serializer=f"{SERIALIZERS}.FindingVerifySerializer",
            event_type=EventType.FINDING_VERIFIED,
            success=_("验证结果已登记"),
            style="success",
            summary=_("验证整改：通过 → 已验证；未通过 → 退回待整改（须写原因）；责任人不能验证自己的整改"),
            errors={
                E.SELF_VERIFICATION: E.SELF_VERIFICATION.label,
                E.VERIFICATION_NOTE_REQUIRED: E.VERIFICATION_NOTE_REQUIRED.label,
            },
        ),
        Action(
            "close",
            _("关闭整改项"),
            sources=[F.VERIFIED],
            target=F.CLOSED,
            permission="supervision.verify_finding",
            service=f"{SERVICES}.finding_close",
            event_type=EventType.FINDING_CLOSED,
            success=_("整改项已关闭"),
            style="outline-success",
            summary=_("关闭整改项：只能在验证通过后（SUV-2；否则 409 status.invalid_transition）"),
        ),
    ],
)

ISSUE_WORKFLOW = Workflow(
    "supervision.CoordinationIssue",
    id_kwarg="issue_id",
    detail_url="supervision:issue-detail",
    action_url="supervision:issue-action",
    related=("responsible_department", "responsible_person"),
    states=[
        State(I.OPEN, "bg-blue-lt"),
        State(I.RESOLVED, "bg-azure-lt"),
        State(I.CLOSED, "bg-green-lt", terminal=True),
    ],
    actions=[
        Action(
            "resolve",
            _("登记解决"),
            sources=[I.OPEN],
            target=I.RESOLVED,
            permission="supervision.resolve_coordinationissue",
            service=f"{SERVICES}.issue_resolve",
            form=f"{FORMS}.ResolveForm",
            serializer=f"{SERIALIZERS}.IssueResolveSerializer",
            event_type=EventType.ISSUE_RESOLVED,
            success=_("已登记解决情况"),
            summary=_("登记协调事项的解决情况（COM-1）"),
            errors={E.RESOLUTION_REQUIRED: E.RESOLUTION_REQUIRED.label},
        ),
        Action(
            "close",
            _("关闭事项"),
            sources=[I.RESOLVED],
            target=I.CLOSED,
            permission="supervision.resolve_coordinationissue",
            service=f"{SERVICES}.issue_close",
            event_type=EventType.ISSUE_CLOSED,
            success=_("协调事项已关闭"),
            style="outline-success",
            summary=_("关闭协调事项（COM-1）"),
        ),
    ],
)
