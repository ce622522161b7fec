from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS

NAV_SUPERVISION = _("监督")


class SupervisionConfig(DomainAppConfig):
    name = "salesservice.supervision"
    label = "supervision"
    verbose_name = _("服务监督")
    url_prefix = "supervision/"
    api_urls = "salesservice.supervision.api.urls"
    navigation = [
        Nav(_("服务质量检查"), "supervision:checks", "supervision.view_supervisioncheck", NAV_SUPERVISION, order=900),
        Nav(_("整改项"), "supervision:findings", "supervision.view_finding", NAV_SUPERVISION, order=901),
        Nav(_("跨部门协调"), "supervision:issues", "supervision.view_coordinationissue", NAV_SUPERVISION, order=902),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.supervision.demo.load_demo"
    periodic_tasks = [
        Periodic(crontab(minute=0, hour=8), "supervision.remind_findings", "remind finding owners"),
        Periodic(crontab(minute=10, hour=8), "supervision.escalate_issues", "escalate overdue coordination issues"),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (models.SupervisionCheck, models.CheckItem, models.Finding, models.CoordinationIssue):
            auditlog.register(model, exclude_fields=reverse_of(model))
