from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_SERVICE, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class ServiceConfig(DomainAppConfig):
    name = "salesservice.service"
    label = "service"
    verbose_name = _("售后服务")
    url_prefix = "service/"
    api_urls = "salesservice.service.api.urls"
    navigation = [
        Nav(_("服务单"), "service:requests", "service.view_servicerequest", NAV_SERVICE, order=10),
        Nav(_("知识库"), "service:knowledge", "service.view_knowledgearticle", NAV_SERVICE, order=20),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.service.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.service.demo.load_demo"
    personal_data = "salesservice.service.personal_data.HANDLERS"
    periodic_tasks = [
        Periodic(60.0, "service.sla_sweep", "service SLA sweep"),  # SRV-2: breaches, warnings, escalation
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history of every service model; personal fields are masked in the log (SRV-10).
        # Reverse relations are not fields to diff (see catalog/apps.py).
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        auditlog.register(
            models.ServiceRequest,
            exclude_fields=reverse_of(models.ServiceRequest),
            mask_fields=["contact_phone", "address"],
        )
        for model in (
            models.SlaBreach,
            models.Escalation,
            models.WorkRecord,
            models.Acceptance,
            models.AcceptanceLink,
            models.KnowledgeArticle,
        ):
            auditlog.register(
                model,
                exclude_fields=[*reverse_of(model), "search_text", "token_hash"],
                # personal data under another name (a work record's `place` is the customer's address)
                mask_fields=list(getattr(model, "personal_data_fields", ())),
            )
