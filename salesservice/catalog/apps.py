from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "salesservice.catalog"
    label = "catalog"
    verbose_name = _("商品")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 panel

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
