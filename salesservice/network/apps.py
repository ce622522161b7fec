from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_SERVICE, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class NetworkConfig(DomainAppConfig):
    name = "salesservice.network"
    label = "network"
    verbose_name = _("外协网点")
    url_prefix = "network/"
    api_urls = "salesservice.network.api.urls"
    navigation = [
        Nav(_("外协网点"), "network:providers", "network.view_serviceprovider", NAV_SERVICE, order=30),
        Nav(_("网点服务质量报告"), "network:reports", "network.view_providerreport", NAV_SERVICE, order=31),
        Nav(_("网点技师培训"), "network:technicians", "network.view_providertechnician", NAV_SERVICE, order=32),
        Nav(_("网点评价"), "network:evaluations", "network.view_providerevaluation", NAV_SERVICE, order=33),
    ]
    periodic_tasks = [
        Periodic(crontab(day_of_week=1, hour=8, minute=0), "network.weekly_report", "weekly service quality report"),
        Periodic(crontab(day_of_month=1, hour=8, minute=30), "network.monthly_rollup", "monthly provider roll-up"),
        Periodic(
            crontab(day_of_month=1, month_of_year="1,4,7,10", hour=7, minute=45),
            "network.training_quarter",
            "quarterly technician training pass rates (NET-4)",
        ),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.network.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.network.demo.load_demo"
    personal_data = "salesservice.network.personal_data.HANDLERS"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from salesservice.core import config_cache

        from . import models

        # Who dispatches for which provider widens what a request list shows; it is cached per process (issue 17 §1).
        config_cache.watch(models.ServiceProvider.dispatchers.through)

        # Field-level history (admin edits too); reverse relations are not fields to diff. Who may
        # dispatch for a provider is a security boundary, so changes to `dispatchers` are logged too.
        for model, m2m in (
            (models.ServiceProvider, {"dispatchers", "categories"}),
            (models.ProviderViolation, set()),
            (models.ProviderSanction, set()),
            (models.ProviderReport, set()),
            (models.ProviderTechnician, {"categories"}),
            (models.TechnicianTraining, set()),
            (models.TrainingQuarter, set()),
            (models.ProviderEvaluation, set()),
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse, m2m_fields=m2m)
