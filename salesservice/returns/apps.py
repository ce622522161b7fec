from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "salesservice.returns"
    label = "returns"
    verbose_name = _("退换货")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 queue

        # Field-level history of the requests and of the policy's exclusion rules (RET-1 changes are audited).
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        auditlog.register(models.ReturnRequest, exclude_fields=reverse_of(models.ReturnRequest))
        auditlog.register(
            models.ReturnRule, exclude_fields=reverse_of(models.ReturnRule), m2m_fields={"excluded_categories"}
        )
