from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_SERVICE, DomainAppConfig, Nav

from .roles import ROLE_GRANTS


class PeopleConfig(DomainAppConfig):
    name = "salesservice.people"
    label = "people"
    verbose_name = _("人员与资质")
    url_prefix = "people/"
    api_urls = "salesservice.people.api.urls"
    navigation = [
        Nav(_("上岗资格"), "people:certifications", "people.view_certification", NAV_SERVICE, order=40),
    ]
    role_grants = ROLE_GRANTS
    demo_loader = "salesservice.people.demo.load_demo"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history (admin edits too); reverse relations are not fields to diff.
        for model in (models.Certification,):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse)
