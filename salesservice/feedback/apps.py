from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "salesservice.feedback"
    label = "feedback"
    verbose_name = _("回访与满意度")

    def ready(self):
        from auditlog.registry import auditlog

        from salesservice.core.models.audit import register_event_types

        from . import models
        from .choices import EventType

        register_event_types(EventType)
        from . import workbench  # noqa: F401 — registers the 工作台 panel (my due follow-ups)

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
