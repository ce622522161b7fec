from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_SERVICE, DomainAppConfig, Nav

from .roles import ROLE_GRANTS


class NetworkConfig(DomainAppConfig):
    name = "salesservice.network"
    label = "network"
    verbose_name = _("外协网点")
    url_prefix = "network/"
    api_urls = "salesservice.network.api.urls"
    navigation = [
        Nav(_("外协网点"), "network:providers", "network.view_serviceprovider", NAV_SERVICE, order=30),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.network.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.network.demo.load_demo"
    personal_data = "salesservice.network.personal_data.HANDLERS"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history (admin edits too); reverse relations are not fields to diff. Who may
        # dispatch for a provider is a security boundary, so changes to `dispatchers` are logged too.
        for model, m2m in (
            (models.ServiceProvider, {"dispatchers", "categories"}),
            (models.ProviderViolation, set()),
            (models.ProviderSanction, set()),
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse, m2m_fields=m2m)
