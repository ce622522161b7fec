from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav

from .roles import ROLE_GRANTS


class CatalogConfig(DomainAppConfig):
    name = "salesservice.catalog"
    label = "catalog"
    verbose_name = _("商品")
    url_prefix = "catalog/"
    api_urls = "salesservice.catalog.api.urls"
    navigation = [
        Nav(_("商品"), "catalog:products", "catalog.view_product", None, order=310),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.catalog.demo.load_demo"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history of every catalog model (admin edits and imports too).
        for model in (
            models.ProductCategory,
            models.InspectionTemplate,
            models.InspectionItem,
            models.Product,
            models.ProductRestriction,
        ):
            # Reverse relations are not fields to diff; left in, auditlog logs them as
            # "catalog.InspectionItem.None" and a key named "items" breaks `changes_dict.items`.
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse)
