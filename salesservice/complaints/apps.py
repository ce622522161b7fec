from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "salesservice.complaints"
    label = "complaints"
    verbose_name = _("投诉")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 queues

        # Field-level history of every complaints model (CMP-*); reverse relations are not fields to diff.
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (
            models.Complaint,
            models.ComplaintDecision,
            models.ComplaintBreach,
            models.ComplaintEscalation,
            models.ImprovementAction,
            models.CompensationFund,
            models.CompensationEntry,
            models.CompensationRequest,
            models.Recovery,
        ):
            auditlog.register(model, exclude_fields=reverse_of(model))
