from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_LOOP, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class FeedbackConfig(DomainAppConfig):
    name = "salesservice.feedback"
    label = "feedback"
    verbose_name = _("回访与满意度")
    record_panels = {"service.ServiceRequest": "salesservice.feedback.panels.survey_for_request"}
    url_prefix = "feedback/"
    api_urls = "salesservice.feedback.api.urls"
    navigation = [
        Nav(_("客户回访"), "feedback:follow-ups", "feedback.view_followup", NAV_LOOP, order=150),
        Nav(_("回访覆盖率"), "feedback:coverage", "feedback.view_followup", NAV_LOOP, order=160),
        Nav(_("满意度看板"), "feedback:dashboard", "feedback.view_surveyresponse", NAV_LOOP, order=170),
        Nav(_("满意度问卷"), "feedback:templates", "feedback.view_surveytemplate", NAV_LOOP, order=180),
        Nav(_("意见箱"), "feedback:suggestions", "feedback.view_suggestion", NAV_LOOP, order=190),
    ]
    role_grants = ROLE_GRANTS
    policy_defaults = "salesservice.feedback.policy_defaults.DEFAULTS"
    demo_loader = "salesservice.feedback.demo.load_demo"
    personal_data = "salesservice.feedback.personal_data.HANDLERS"
    periodic_tasks = [
        Periodic(crontab(minute=5), "feedback.schedule_follow_ups", "feedback follow-ups"),  # FBK-1/FBK-2
        Periodic(crontab(minute=20), "feedback.send_surveys", "feedback surveys"),
    ]

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history of every feedback model; reverse relations are not fields to diff.
        def reverse_of(model):
            return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]

        for model in (
            models.FollowUp,
            models.FollowUpAttempt,
            models.SurveyTemplate,
            models.SurveyQuestion,
            models.SurveyLink,
            models.SurveyResponse,
            models.SurveyAnswer,
        ):
            auditlog.register(model, exclude_fields=[*reverse_of(model), "token_hash"])
        auditlog.register(models.Suggestion, exclude_fields=reverse_of(models.Suggestion), mask_fields=["phone"])
