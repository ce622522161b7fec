from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_LOOP, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class ReturnsConfig(DomainAppConfig):
    name = "salesservice.returns"
    label = "returns"
    verbose_name = _("退换货")
    url_prefix = "returns/"
    api_urls = "salesservice.returns.api.urls"
    navigation = [
        Nav(_("退换货"), "returns:returns", "returns.view_returnrequest", NAV_LOOP, order=200),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.returns.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.returns.demo.load_demo"
    personal_data = "salesservice.returns.personal_data.HANDLERS"
    periodic_tasks = [
        Periodic(60.0, "returns.sweep", "returns handling sweep"),  # RET-2: missed handling deadlines, escalation
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history of the requests and of the policy's exclusion rules (RET-1 changes are audited).
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        auditlog.register(models.ReturnRequest, exclude_fields=reverse_of(models.ReturnRequest))
        auditlog.register(
            models.ReturnRule, exclude_fields=reverse_of(models.ReturnRule), m2m_fields={"excluded_categories"}
        )
