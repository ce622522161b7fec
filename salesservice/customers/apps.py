from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "salesservice.customers"
    label = "customers"
    verbose_name = _("客户")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 panel

        # Field-level history of every model; personal fields are masked in the log (SRV-10).
        auditlog.register(models.Customer, mask_fields=["phone", "email", "address", "id_number"], m2m_fields={"tags"})
        auditlog.register(models.Contact, mask_fields=["phone", "email", "address"])
        for model in (
            models.CustomerTag,
            models.Qualification,
            models.CustomerProperty,
            models.PropertyIncident,
            models.Consent,
        ):
            auditlog.register(model)
