from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS

NAV_DOCUMENTS = _("文件")


class DocumentsConfig(DomainAppConfig):
    """Document control (DOC-1): controlled documents, their versions, approval and acknowledgements."""

    name = "salesservice.documents"
    label = "documents"
    verbose_name = _("文件控制")
    url_prefix = "documents/"
    api_urls = "salesservice.documents.api.urls"
    navigation = [
        Nav(_("受控文件"), "documents:documents", "documents.view_controlleddocument", NAV_DOCUMENTS, order=950),
        Nav(_("我的待确认"), "documents:mine", "documents.view_controlleddocument", NAV_DOCUMENTS, order=951),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.documents.demo.load_demo"
    periodic_tasks = [
        Periodic(crontab(minute=5, hour=0), "documents.apply_effective", "versions issued in advance take effect"),
        Periodic(crontab(minute=20, hour=8), "documents.remind_acknowledgements", "remind unread documents"),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels, evidence (core.registry)
        from auditlog.registry import auditlog

        from salesservice.core.policy import register_document_authority

        from . import models
        from .authority import PolicyDocumentAuthority

        register_document_authority(PolicyDocumentAuthority())

        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (models.ControlledDocument, models.DocumentClause, models.DocumentVersion, models.Acknowledgement):
            auditlog.register(model, exclude_fields=reverse_of(model))
