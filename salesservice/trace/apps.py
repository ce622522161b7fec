from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import DomainAppConfig, Nav

from .roles import ROLE_GRANTS

NAV_SALES = _("销售")  # the sales menu group (the same label as the sales app's)


class TraceConfig(DomainAppConfig):
    """TRC-2 traceability (lot ↔ customers, back to the supplier) and recall campaigns."""

    name = "salesservice.trace"
    label = "trace"
    verbose_name = _("追溯与召回")
    url_prefix = "trace/"
    api_urls = "salesservice.trace.api.urls"
    personal_data = "salesservice.trace.personal_data.HANDLERS"
    navigation = [
        Nav(_("批次追溯与召回"), "trace:trace", "sales.view_salesrecord", NAV_SALES, order=318),
        Nav(_("召回"), "trace:recalls", "trace.view_recallcampaign", NAV_SALES, order=319),
        Nav(_("召回任务"), "trace:tasks", "trace.view_recalltask", NAV_SALES, order=320),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.trace.demo.load_demo"

    def ready(self):
        super().ready()  # event types, workflows (core.registry)
        from auditlog.registry import auditlog

        from . import models

        for model in (models.RecallCampaign, models.RecallLot, models.RecallTask, models.RecallTaskLot):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(
                model, exclude_fields=reverse, mask_fields=list(getattr(model, "personal_data_fields", ()))
            )
