"""Choices of the people app: certification states and timeline events (PPL-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationState(models.TextChoices):
    """Derived, never stored: what a certification means on a given day."""

    VALID = "valid", _("有效")
    NOT_YET_VALID = "not_yet_valid", _("未生效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


class EventType(models.TextChoices):
    """Typed timeline events of the people app."""

    CERTIFICATION_ADDED = "people.certification_added", _("登记上岗资格")
    CERTIFICATION_UPDATED = "people.certification_updated", _("修改上岗资格")
    CERTIFICATION_REVOKED = "people.certification_revoked", _("吊销上岗资格")
