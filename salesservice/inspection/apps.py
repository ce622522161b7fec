from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "salesservice.inspection"
    label = "inspection"
    verbose_name = _("检验与不合格品")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 queue

        reverse = [f.name for f in models.Nonconformance._meta.get_fields() if f.auto_created and not f.concrete]
        auditlog.register(models.Nonconformance, exclude_fields=reverse)
