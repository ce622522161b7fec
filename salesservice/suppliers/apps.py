from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS

NAV_SUPPLY = _("供应链")


class SuppliersConfig(DomainAppConfig):
    name = "salesservice.suppliers"
    label = "suppliers"
    verbose_name = _("供应商")
    url_prefix = "suppliers/"
    api_urls = "salesservice.suppliers.api.urls"
    navigation = [
        Nav(_("供应商"), "suppliers:suppliers", "suppliers.view_supplier", NAV_SUPPLY, order=400),
        Nav(_("合格供方名单"), "suppliers:lists", "suppliers.view_qualifiedlist", NAV_SUPPLY, order=401),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.suppliers.policy_defaults.DEFAULTS"
    personal_data = "salesservice.suppliers.personal_data.HANDLERS"
    demo_loader = "salesservice.suppliers.demo.load_demo"
    periodic_tasks = [
        Periodic(
            crontab(hour=8, minute=10), "suppliers.remind_expiring_documents", "remind expiring supplier documents"
        ),  # SUP-3
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        auditlog.register(models.Supplier, mask_fields=["phone"], exclude_fields=reverse_of(models.Supplier))
        auditlog.register(
            models.SupplierDocument, exclude_fields=reverse_of(models.SupplierDocument), m2m_fields={"products"}
        )
        auditlog.register(models.Evaluation, exclude_fields=reverse_of(models.Evaluation))
        auditlog.register(models.QualifiedList, exclude_fields=reverse_of(models.QualifiedList))
        auditlog.register(
            models.QualifiedListEntry,
            exclude_fields=reverse_of(models.QualifiedListEntry),
            m2m_fields={"products", "categories"},
        )
