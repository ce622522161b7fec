from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS

NAV_APPRAISALS = _("绩效")


class AppraisalsConfig(DomainAppConfig):
    name = "salesservice.appraisals"
    label = "appraisals"
    verbose_name = _("绩效考核")
    url_prefix = "appraisals/"
    api_urls = "salesservice.appraisals.api.urls"
    navigation = [
        Nav(_("我的考核"), "appraisals:mine", "appraisals.view_own_appraisal", NAV_APPRAISALS, order=950),
        Nav(_("考核周期"), "appraisals:cycles", "appraisals.view_appraisalcycle", NAV_APPRAISALS, order=951),
        Nav(_("考核指标"), "appraisals:kpis", "appraisals.view_kpidefinition", NAV_APPRAISALS, order=952),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.appraisals.demo.load_demo"
    periodic_tasks = [
        Periodic(crontab(minute=30, hour=6), "appraisals.open_cycles", "open due appraisal cycles (KPI-3)"),
        Periodic(crontab(minute=40, hour=8), "appraisals.remind", "remind pending appraisal steps (KPI-3)"),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        for model in (models.KpiDefinition, models.AppraisalCycle, models.Appraisal):
            auditlog.register(
                model, exclude_fields=[f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            )
