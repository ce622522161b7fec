"""In-app notifications (the bell); email copies go through the same service."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import NotificationLevel


class Notification(models.Model):
    """A message to one user, with a link to what it is about; unread until `read_at` is set."""

    # No index of its own: the (recipient, read_at, -id) index leads with it. No database constraint: PostgreSQL
    # checked each new row's recipient at COMMIT — 13 761 checks, a fifth of the database's work in a 1 000-due
    # sweep (issue 17 §3). Notices are written by the system to users it has just read; a user's deletion still
    # removes them (Django's CASCADE), and users are deactivated, not deleted, once they have history.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        db_constraint=False,
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    level = models.CharField(
        _("级别"), max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.INFO
    )
    kind = models.CharField(_("类别"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-id"])]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
