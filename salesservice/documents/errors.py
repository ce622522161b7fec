"""Every error code the document-control app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese, when
it is raised (docs/documents.md lists them). Illegal moves (issuing a version that was not approved) answer the
kernel's `status.invalid_transition` (409). A policy change without an approved document version is refused
by `core.policy` with `policy.document_required` (400).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentsErrorCode(models.TextChoices):
    DOCUMENT_NOT_FOUND = "documents.document_not_found", _("受控文件不存在或不在您的范围内（404）")
    VERSION_NOT_FOUND = "documents.version_not_found", _("文件版本不存在或不在您的范围内（404）")
    DOCUMENT_INVALID = "documents.document_invalid", _("请填写文件编号、名称、类别和归口单位")
    CODE_INVALID = "documents.code_invalid", _("文件编号只能由大写字母、数字和连字符组成，如 SS-QP-001")
    CODE_TAKEN = "documents.code_taken", _("文件编号已被使用（409）")
    CLAUSE_UNKNOWN = "documents.clause_unknown", _("条款编号不在政策条款清单中")
    ROLE_UNKNOWN = "documents.role_unknown", _("须阅读的岗位不存在")
    UNIT_OUT_OF_SCOPE = "documents.unit_out_of_scope", _("所选单位不在您的范围内")
    REVISION_OPEN = "documents.revision_open", _("该文件已有未发布的版本，请先完成或作废（409）")
    CHANGE_SUMMARY_REQUIRED = "documents.change_summary_required", _("请写明本版本的修订说明")
    FILE_TYPE = "documents.file_type", _("文件正文只接受 PDF 或 Word（.pdf / .doc / .docx）")
    FILE_REQUIRED = "documents.file_required", _("提交审批前须上传文件正文（PDF 或 Word）")
    NOT_EDITABLE = "documents.not_editable", _("只有草稿可以修改（409）")
    SELF_APPROVAL = "documents.self_approval", _("编制人不能批准自己编制的版本（403）")
    REJECT_NOTE_REQUIRED = "documents.reject_note_required", _("退回须写明原因")
    EFFECTIVE_DATE_INVALID = "documents.effective_date_invalid", _("生效日期不能早于发布日期")
    PENDING_ISSUE = "documents.pending_issue", _("已有待生效的版本，须待其生效后再发布新版本（409）")
    REASON_REQUIRED = "documents.reason_required", _("请写明废止/作废原因")
    NOT_CONCERNED = "documents.not_concerned", _("您不是须阅读该文件的岗位人员（403）")
    ALREADY_ACKNOWLEDGED = "documents.already_acknowledged", _("您已确认阅读该版本（409）")
