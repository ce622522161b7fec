from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav

from .roles import ROLE_GRANTS

NAV_REPORTS = _("管理报表")


class DashboardsConfig(DomainAppConfig):
    name = "salesservice.dashboards"
    label = "dashboards"
    verbose_name = _("管理报表")
    url_prefix = "reports/"
    api_urls = "salesservice.dashboards.api.urls"
    navigation = [
        Nav(_("管理看板"), "dashboards:index", "dashboards.view_dashboards", NAV_REPORTS, order=940),
        Nav(
            _("制度执行合规报告"), "dashboards:compliance", "dashboards.view_compliance_report", NAV_REPORTS, order=950
        ),
    ]
    role_grants = ROLE_GRANTS
