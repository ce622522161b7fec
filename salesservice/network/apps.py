from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "salesservice.network"
    label = "network"
    verbose_name = _("外协网点")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        # Field-level history (admin edits too); reverse relations are not fields to diff. Who may
        # dispatch for a provider is a security boundary, so changes to `dispatchers` are logged too.
        for model, m2m in (
            (models.ServiceProvider, {"dispatchers", "categories"}),
            (models.ProviderViolation, set()),
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse, m2m_fields=m2m)
