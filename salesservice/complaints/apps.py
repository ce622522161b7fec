from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_LOOP, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class ComplaintsConfig(DomainAppConfig):
    name = "salesservice.complaints"
    label = "complaints"
    verbose_name = _("投诉")
    url_prefix = "complaints/"
    api_urls = "salesservice.complaints.api.urls"
    navigation = [
        Nav(_("投诉"), "complaints:complaints", "complaints.view_complaint", NAV_LOOP, order=110),
        Nav(_("售后基金"), "complaints:fund", "complaints.view_compensationentry", NAV_LOOP, order=120),
        Nav(_("投诉分析"), "complaints:analytics", "complaints.view_complaint", NAV_LOOP, order=130),
        Nav(_("改进措施"), "complaints:actions", "complaints.view_complaint", NAV_LOOP, order=140),
    ]
    role_grants = ROLE_GRANTS
    record_panels = {"service.ServiceRequest": "salesservice.complaints.panels.service_request_complaints"}
    policy_defaults = "salesservice.complaints.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.complaints.demo.load_demo"
    personal_data = "salesservice.complaints.personal_data.HANDLERS"
    periodic_tasks = [
        Periodic(60.0, "complaints.sla_sweep", "complaint SLA sweep"),  # CMP-2/CMP-7
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history of every complaints model (CMP-*); reverse relations are not fields to diff.
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (
            models.Complaint,
            models.ComplaintDecision,
            models.ComplaintBreach,
            models.ComplaintEscalation,
            models.ImprovementAction,
            models.CompensationFund,
            models.CompensationEntry,
            models.CompensationRequest,
            models.Recovery,
        ):
            auditlog.register(model, exclude_fields=reverse_of(model))
