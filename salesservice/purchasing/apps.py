from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav
from salesservice.suppliers.apps import NAV_SUPPLY  # the supply menu group: suppliers and purchasing share it

from .roles import ROLE_GRANTS


class PurchasingConfig(DomainAppConfig):
    name = "salesservice.purchasing"
    label = "purchasing"
    verbose_name = _("采购与进货验收")
    url_prefix = "purchasing/"
    api_urls = "salesservice.purchasing.api.urls"
    navigation = [
        Nav(_("采购申请"), "purchasing:requisitions", "purchasing.view_purchaserequisition", NAV_SUPPLY, order=410),
        Nav(_("采购订单"), "purchasing:orders", "purchasing.view_purchaseorder", NAV_SUPPLY, order=411),
        Nav(_("入库验收"), "purchasing:receipts", "purchasing.view_receipt", NAV_SUPPLY, order=412),
        Nav(_("商品追溯"), "purchasing:trace", "purchasing.view_receipt", NAV_SUPPLY, order=413),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.purchasing.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.purchasing.demo.load_demo"
    record_panels = {"inspection.Nonconformance": "salesservice.purchasing.panels.nonconformance_receipt"}

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (models.PurchaseRequisition, models.PurchaseOrder, models.Receipt):
            auditlog.register(model, exclude_fields=reverse_of(model))
        auditlog.register(models.PurchaseOrderLine, exclude_fields=reverse_of(models.PurchaseOrderLine))
        auditlog.register(models.ReceiptLine, exclude_fields=reverse_of(models.ReceiptLine))
        self._register_metrics()

    def _register_metrics(self):
        """SUP-5 → SUP-1: the suppliers' evaluation reads our execution figures (contract: metrics.register)."""
        from salesservice.suppliers.metrics import register

        from .metrics import execution_figures

        register(execution_figures)
