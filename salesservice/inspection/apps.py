from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "salesservice.inspection"
    label = "inspection"
    verbose_name = _("检验与不合格品")
