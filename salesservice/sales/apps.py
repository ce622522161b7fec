from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .presales_nav import PRESALES_NAV, PRESALES_PERIODIC
from .roles import ROLE_GRANTS

NAV_SALES = _("销售")


class SalesConfig(DomainAppConfig):
    name = "salesservice.sales"
    label = "sales"
    verbose_name = _("销售")
    url_prefix = "sales/"
    api_urls = "salesservice.sales.api.urls"
    personal_data = "salesservice.sales.personal_data.HANDLERS"
    navigation = [
        *PRESALES_NAV,
        Nav(_("报价单"), "sales:quotations", "sales.view_quotation", NAV_SALES, order=312),
        Nav(_("销售合同"), "sales:contracts", "sales.view_contract", NAV_SALES, order=314),
        Nav(_("销售订单"), "sales:orders", "sales.view_salesorder", NAV_SALES, order=315),
        Nav(_("应收款"), "sales:receivables", "sales.view_receivable", NAV_SALES, order=316),
        Nav(_("销售记录（GSP）"), "sales:records", "sales.view_salesrecord", NAV_SALES, order=317),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.sales.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.sales.demo.load_demo"
    periodic_tasks = [
        *PRESALES_PERIODIC,
        Periodic(crontab(minute="*/15"), "sales.remind_late_steps", "remind late order progress steps"),  # SAL-7
        Periodic(crontab(hour=9, minute=0), "sales.remind_overdue_payments", "remind overdue payments"),  # DEL-5
        Periodic(crontab(hour=0, minute=20), "sales.expire_quotations", "expire quotations past validity"),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # the review's findings stay on the order (the page's findings table, the API); not repeated as a field diff
        derived = {"SalesOrder": ["review_findings"]}

        def reverse_of(model):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            return reverse + derived.get(model.__name__, [])

        for name in models.__all__:
            model = getattr(models, name)
            auditlog.register(
                model, exclude_fields=reverse_of(model), mask_fields=list(getattr(model, "personal_data_fields", ()))
            )
