from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig


class ReportsConfig(DomainAppConfig):
    """Scheduled management reports (issue 16 §2): produced by Celery beat, delivered to roles, archived."""

    name = "salesservice.reports"
    label = "reports"
    verbose_name = _("定期报告")
