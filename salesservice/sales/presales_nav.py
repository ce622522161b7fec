"""Navigation and periodic jobs of the pre-sales part of the sales app (inquiries, claims, tenders,
authorisation letters, sales plans), merged into `SalesConfig` by apps.py."""

from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import Nav

NAV_SALES = _("销售")

PRESALES_NAV: list[Nav] = []
PRESALES_PERIODIC: list = []
