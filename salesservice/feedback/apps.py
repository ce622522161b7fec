from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "salesservice.feedback"
    label = "feedback"
    verbose_name = _("回访与满意度")
