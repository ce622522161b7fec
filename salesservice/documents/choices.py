"""Choices of the document-control app (DOC-1): the kinds of controlled document, the statuses of a version
and the timeline events. The moves between statuses are declared in workflows.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("制度")
    PROCEDURE = "procedure", _("程序文件")
    FORM = "form", _("表单")
    RECORD_TEMPLATE = "record_template", _("记录模板")


class VersionStatus(models.TextChoices):
    """DOC-1: draft → submitted → approved → issued (current from its effective date) → superseded; a version
    not yet issued may be withdrawn (作废)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已批准")
    ISSUED = "issued", _("已发布")
    SUPERSEDED = "superseded", _("被替代")
    WITHDRAWN = "withdrawn", _("已作废")


OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.APPROVED)
# A version that may set a policy parameter (DOC-1): approved, or issued.
AUTHORISING_STATUSES = (VersionStatus.APPROVED, VersionStatus.ISSUED)


class EventType(models.TextChoices):
    """Typed timeline events of document control (registered by the app registry)."""

    DOCUMENT_CREATED = "documents.document_created", _("新建受控文件")
    DOCUMENT_CHANGED = "documents.document_changed", _("修改受控文件信息")
    VERSION_DRAFTED = "documents.version_drafted", _("起草文件版本")
    VERSION_EDITED = "documents.version_edited", _("修改文件版本草稿")
    VERSION_SUBMITTED = "documents.version_submitted", _("提交审批")
    VERSION_REJECTED = "documents.version_rejected", _("退回修改")
    VERSION_APPROVED = "documents.version_approved", _("批准文件版本")
    VERSION_ISSUED = "documents.version_issued", _("发布文件版本")
    VERSION_SUPERSEDED = "documents.version_superseded", _("文件版本被替代/废止")
    VERSION_WITHDRAWN = "documents.version_withdrawn", _("作废未发布的版本")
    VERSION_ACKNOWLEDGED = "documents.version_acknowledged", _("阅读确认")
    ACK_REMINDED = "documents.ack_reminded", _("阅读确认提醒")
