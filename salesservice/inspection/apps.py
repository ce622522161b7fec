from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_LOOP, DomainAppConfig, Nav

from .roles import ROLE_GRANTS


class InspectionConfig(DomainAppConfig):
    name = "salesservice.inspection"
    label = "inspection"
    verbose_name = _("检验与不合格品")
    url_prefix = "inspection/"
    api_urls = "salesservice.inspection.api.urls"
    navigation = [
        Nav(_("不合格品"), "inspection:nonconformances", "inspection.view_nonconformance", NAV_LOOP, order=210),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.inspection.demo.load_demo"
    personal_data = "salesservice.inspection.personal_data.HANDLERS"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        reverse = [f.name for f in models.Nonconformance._meta.get_fields() if f.auto_created and not f.concrete]
        auditlog.register(models.Nonconformance, exclude_fields=reverse)
