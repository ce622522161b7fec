from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig


class DocumentsConfig(DomainAppConfig):
    """Document control (DOC-1): controlled documents, their versions, approval and acknowledgements."""

    name = "salesservice.documents"
    label = "documents"
    verbose_name = _("文件控制")
