"""The lifecycle of a controlled document's version, declared once (core.workflow) — DOC-1.

    draft 草稿 ──submit──▶ submitted 已提交 ──approve (not the author)──▶ approved 已批准 ──issue──▶ issued 已发布
    submitted ──reject──▶ draft                        issued ──supersede (reason)──▶ superseded 被替代/废止
    draft | submitted | approved ──withdraw (reason)──▶ withdrawn 已作废
    issued ──acknowledge (a concerned user; the status stays)

Issuing a version that takes effect supersedes the version current until then (issue, or the daily job on the
effective date), so a document has one current version at any time.
"""

from django.utils.translation import gettext_lazy as _

from salesservice.core.workflow import Action, State, Workflow

from .choices import EventType
from .choices import VersionStatus as S
from .errors import DocumentsErrorCode as E

SERVICES = "salesservice.documents.services"
FORMS = "salesservice.documents.forms"
SERIALIZERS = "salesservice.documents.api.serializers"

VERSION_WORKFLOW = Workflow(
    "documents.DocumentVersion",
    id_kwarg="version_id",
    detail_url="documents:version-detail",
    action_url="documents:version-action",
    related=("document", "document__org_unit", "author"),
    view_permission="documents.view_controlleddocument",
    states=[
        State(S.DRAFT, "bg-secondary-lt"),
        State(S.SUBMITTED, "bg-blue-lt"),
        State(S.APPROVED, "bg-azure-lt"),
        State(S.ISSUED, "bg-green-lt"),
        State(S.SUPERSEDED, "bg-orange-lt", terminal=True),
        State(S.WITHDRAWN, "bg-red-lt", terminal=True),
    ],
    actions=[
        Action(
            "submit",
            _("提交审批"),
            sources=[S.DRAFT],
            target=S.SUBMITTED,
            permission="documents.change_controlleddocument",
            service=f"{SERVICES}.version_submit",
            event_type=EventType.VERSION_SUBMITTED,
            success=_("已提交审批"),
            confirm=_("确定提交审批？提交后不能再修改草稿。"),
            summary=_("提交审批（须已上传文件正文）"),
            errors={E.FILE_REQUIRED: E.FILE_REQUIRED.label},
        ),
        Action(
            "approve",
            _("批准"),
            sources=[S.SUBMITTED],
            target=S.APPROVED,
            permission="documents.approve_documentversion",
            service=f"{SERVICES}.version_approve",
            form=f"{FORMS}.ApproveForm",
            serializer=f"{SERIALIZERS}.ApproveSerializer",
            event_type=EventType.VERSION_APPROVED,
            success=_("已批准"),
            style="success",
            confirm=_("确定批准该版本？"),
            summary=_("批准（编制人不能批准自己的版本：403 documents.self_approval）"),
            errors={E.SELF_APPROVAL: E.SELF_APPROVAL.label},
        ),
        Action(
            "reject",
            _("退回修改"),
            sources=[S.SUBMITTED],
            target=S.DRAFT,
            permission="documents.approve_documentversion",
            service=f"{SERVICES}.version_reject",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.DocumentReasonSerializer",
            event_type=EventType.VERSION_REJECTED,
            success=_("已退回编制人修改"),
            style="outline-secondary",
            summary=_("退回修改（须写原因）"),
            errors={E.REJECT_NOTE_REQUIRED: E.REJECT_NOTE_REQUIRED.label},
        ),
        Action(
            "issue",
            _("发布"),
            sources=[S.APPROVED],
            target=S.ISSUED,
            permission="documents.issue_documentversion",
            service=f"{SERVICES}.version_issue",
            form=f"{FORMS}.IssueForm",
            serializer=f"{SERIALIZERS}.IssueSerializer",
            event_type=EventType.VERSION_ISSUED,
            success=_("已发布；须阅读的人员已收到通知"),
            style="success",
            confirm=_("确定发布？生效后原现行版本将被替代。"),
            summary=_("发布：发布日期为今天，生效日期默认今天；生效时原现行版本被替代；通知须阅读的人员"),
            errors={
                E.EFFECTIVE_DATE_INVALID: E.EFFECTIVE_DATE_INVALID.label,
                E.PENDING_ISSUE: E.PENDING_ISSUE.label,
            },
        ),
        Action(
            "supersede",
            _("废止"),
            sources=[S.ISSUED],
            target=S.SUPERSEDED,
            permission="documents.issue_documentversion",
            service=f"{SERVICES}.version_supersede",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.DocumentReasonSerializer",
            event_type=EventType.VERSION_SUPERSEDED,
            success=_("该版本已废止，仍可查阅"),
            style="outline-danger",
            confirm=_("确定废止该版本？废止后不再是现行版本。"),
            summary=_("废止已发布的版本（须写原因；版本保留可查阅）"),
            errors={E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
        Action(
            "withdraw",
            _("作废"),
            sources=[S.DRAFT, S.SUBMITTED, S.APPROVED],
            target=S.WITHDRAWN,
            permission="documents.change_controlleddocument",
            service=f"{SERVICES}.version_withdraw",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.DocumentReasonSerializer",
            event_type=EventType.VERSION_WITHDRAWN,
            success=_("该版本已作废"),
            style="outline-danger",
            confirm=_("确定作废该版本？"),
            summary=_("作废未发布的版本（须写原因）"),
            errors={E.REASON_REQUIRED: E.REASON_REQUIRED.label},
        ),
        Action(
            "acknowledge",
            _("确认已阅读"),
            sources=[S.ISSUED],
            target=None,
            permission="documents.view_controlleddocument",
            service=f"{SERVICES}.version_acknowledge",
            event_type=EventType.VERSION_ACKNOWLEDGED,
            success=_("已确认阅读"),
            versioned=False,
            page=False,  # the detail page shows its own button, to the concerned users who have not confirmed
            summary=_("确认已阅读已发布的版本（只限须阅读的岗位人员；重复确认 409 documents.already_acknowledged）"),
            errors={
                E.NOT_CONCERNED: E.NOT_CONCERNED.label,
                E.ALREADY_ACKNOWLEDGED: E.ALREADY_ACKNOWLEDGED.label,
            },
        ),
    ],
)
