from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class CustomersConfig(DomainAppConfig):
    name = "salesservice.customers"
    label = "customers"
    verbose_name = _("客户")
    url_prefix = "customers/"
    api_urls = "salesservice.customers.api.urls"
    navigation = [
        Nav(_("客户"), "customers:customers", "customers.view_customer", None, order=300),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.customers.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.customers.demo.load_demo"
    personal_data = "salesservice.customers.personal_data.HANDLERS"
    periodic_tasks = [
        Periodic(
            crontab(hour=8, minute=0),
            "customers.remind_expiring_qualifications",
            "remind expiring customer qualifications",
        ),  # BUY-1
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

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
