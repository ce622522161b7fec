from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "salesservice.service"
    label = "service"
    verbose_name = _("售后服务")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 queues

        # Field-level history of every service model; personal fields are masked in the log (SRV-10).
        # Reverse relations are not fields to diff (see catalog/apps.py).
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        auditlog.register(
            models.ServiceRequest,
            exclude_fields=reverse_of(models.ServiceRequest),
            mask_fields=["contact_phone", "address"],
        )
        for model in (
            models.SlaBreach,
            models.Escalation,
            models.WorkRecord,
            models.Acceptance,
            models.AcceptanceLink,
            models.KnowledgeArticle,
        ):
            auditlog.register(model, exclude_fields=[*reverse_of(model), "search_text", "token_hash"])
