"""Navigation and periodic jobs of the pre-sales part of the sales app (inquiries, claims, tenders,
authorisation letters, sales plans), merged into `SalesConfig` by apps.py."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import Nav, Periodic

NAV_SALES = _("销售")

PRESALES_NAV: list[Nav] = [
    Nav(_("客户咨询"), "sales:inquiries", "sales.view_inquiry", NAV_SALES, order=310),
    Nav(_("产品宣传用语"), "sales:productclaims", "sales.view_productclaim", NAV_SALES, order=311),
    Nav(_("招投标"), "sales:tenders", "sales.view_tender", NAV_SALES, order=313),
    Nav(_("销售授权书"), "sales:repauthorisations", "sales.view_repauthorisation", NAV_SALES, order=318),
    Nav(_("年度销售计划"), "sales:salesplans", "sales.view_salesplan", NAV_SALES, order=319),
]
PRESALES_PERIODIC: list = [
    Periodic(crontab(minute="*/10"), "sales.remind_overdue_inquiries", "remind overdue inquiries"),  # PRE-1
    Periodic(
        crontab(hour=8, minute=10), "sales.remind_expiring_authorisations", "remind expiring rep letters"
    ),  # BUY-2
]
