"""Attaching files to records, and reading them back within the reader's scope."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from .exceptions import DomainError
from .models import Attachment

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
# call recordings (SUV-2: supervision by recordings) — the formats phones and call centres produce
AUDIO_SUFFIXES = {".mp3", ".m4a", ".wav", ".amr", ".aac"}
ALLOWED_SUFFIXES |= AUDIO_SUFFIXES


def attachment_add(*, actor, target, file, description: str = "") -> Attachment:
    """Store `file` against `target`. Call inside the service that records why it was attached."""
    name = getattr(file, "name", "") or "file"
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise DomainError(
            "attachment.type",
            _("不支持的文件类型，请上传 PDF、图片、Word、Excel、文本或录音文件"),
            fields={"file": [_("文件类型不支持")]},
        )
    if file.size > MAX_ATTACHMENT_BYTES:
        raise DomainError("attachment.too_large", _("文件超过 20 MB"), fields={"file": [_("文件过大")]})
    return Attachment.objects.create(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        file=file,
        original_name=name[-200:],
        size=file.size,
        content_type=(getattr(file, "content_type", "") or "")[:100],
        description=description[:200],
        uploaded_by=actor,
    )


def attachments_for(target):
    ct = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return Attachment.objects.filter(target_type=ct, target_id=str(target.pk)).select_related("uploaded_by")


def attachment_visible(user, attachment: Attachment) -> bool:
    """The reader must be able to see the record the file belongs to (same scope rule as the record)."""
    model = attachment.target_type.model_class()
    if model is None:
        return False
    manager = model._default_manager
    queryset = manager.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    elif not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return False
    return queryset.filter(pk=attachment.target_id).exists()
