from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic
from salesservice.dashboards.apps import NAV_REPORTS  # the 管理报表 menu group: one dropdown with the dashboards

from .roles import ROLE_GRANTS


def _periodic() -> list[Periodic]:
    from .kinds import KINDS

    return [Periodic(kind.schedule, kind.task, kind.description) for kind in KINDS.values()]


class ReportsConfig(DomainAppConfig):
    """Scheduled management reports (issue 16 §2): produced by Celery beat, delivered to roles, archived."""

    name = "salesservice.reports"
    label = "reports"
    verbose_name = _("定期报告")
    url_prefix = "reports/scheduled/"
    api_urls = "salesservice.reports.api.urls"
    navigation = [Nav(_("定期报告"), "reports:list", "reports.view_reportrun", NAV_REPORTS, order=960)]
    periodic_tasks = _periodic()
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.reports.demo.load_demo"

    def ready(self):
        super().ready()  # event types (core.registry)
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.ReportRun, exclude_fields=["figures", "deliveries", "downloads"])
