from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "salesservice.people"
    label = "people"
    verbose_name = _("人员与资质")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        # Field-level history (admin edits too); reverse relations are not fields to diff.
        for model in (models.Certification,):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse)
