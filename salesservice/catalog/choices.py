"""Choices of the catalog: tracking modes, medical-device classes, sellability reasons."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceClass(models.TextChoices):
    """Medical-device class (医疗器械分类). Customers' qualifications are checked against it (BUY-1)."""

    NONE = "none", _("非医疗器械")
    CLASS_I = "I", _("第一类")
    CLASS_II = "II", _("第二类")
    CLASS_III = "III", _("第三类")
