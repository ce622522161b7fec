from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav

from .roles import ROLE_GRANTS

NAV_STOCK = _("仓储")


class InventoryConfig(DomainAppConfig):
    name = "salesservice.inventory"
    label = "inventory"
    verbose_name = _("库存")
    url_prefix = "inventory/"
    api_urls = "salesservice.inventory.api.urls"
    navigation = [
        Nav(_("库存"), "inventory:stock", "inventory.view_stockquant", NAV_STOCK, order=420),
        Nav(_("批次"), "inventory:lots", "inventory.view_lot", NAV_STOCK, order=421),
        Nav(_("库存流水"), "inventory:moves", "inventory.view_stockmove", NAV_STOCK, order=422),
        Nav(_("盘点"), "inventory:counts", "inventory.view_stockcount", NAV_STOCK, order=423),
        Nav(_("储存环境"), "inventory:readings", "inventory.view_storagereading", NAV_STOCK, order=424),
        Nav(_("仓库与库位"), "inventory:warehouses", "inventory.view_warehouse", NAV_STOCK, order=425),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.inventory.policy_defaults.DEFAULTS"
    personal_data = "salesservice.inventory.personal_data.HANDLERS"
    demo_loader = "salesservice.inventory.demo.load_demo"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from salesservice.inspection.signals import nonconformance_closed

        from . import models
        from .environment import on_nonconformance_closed

        # SUP-8: the disposition of a closed nonconformance moves the stock it concerns (inventory sits above
        # inspection, so inspection tells through its signal).
        nonconformance_closed.connect(on_nonconformance_closed, dispatch_uid="inventory.apply_disposition")
        for model in (models.Warehouse, models.Location, models.Lot, models.StockCount):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse)
