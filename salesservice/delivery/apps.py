from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic
from salesservice.sales.apps import NAV_SALES  # the sales menu group: orders, then their deliveries

from .roles import ROLE_GRANTS


class DeliveryConfig(DomainAppConfig):
    name = "salesservice.delivery"
    label = "delivery"
    verbose_name = _("交付与验收")
    url_prefix = "delivery/"
    api_urls = "salesservice.delivery.api.urls"
    personal_data = "salesservice.delivery.personal_data.HANDLERS"
    navigation = [Nav(_("交付单"), "delivery:deliveries", "delivery.view_delivery", NAV_SALES, order=318)]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.delivery.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.delivery.demo.load_demo"
    periodic_tasks = [
        Periodic(
            crontab(minute="*/15"), "delivery.remind_uninformed_incidents", "remind uninformed delivery incidents"
        ),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (
            models.Delivery,
            models.DeliveryLine,
            models.AcceptanceCheck,
            models.Replacement,
            models.TrainingRecord,
            models.DeliveryIncident,
        ):
            auditlog.register(
                model, exclude_fields=reverse_of(model), mask_fields=list(getattr(model, "personal_data_fields", ()))
            )
