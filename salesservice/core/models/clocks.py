"""Facts the deadline engine records for documents without a breach table of their own (core.clocks)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineBreach(models.Model):
    """A deadline a document missed: which clock, at which escalation level, when it was due and when the
    sweep found it. Written once per document, clock and level (the unique constraint stops a second sweep)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=40)
    target = GenericForeignKey("target_type", "target_id")
    clock = models.CharField(_("时限"), max_length=40)
    level = models.PositiveSmallIntegerField(_("级别"), default=0)
    due_at = models.DateTimeField(_("时限"))
    breached_at = models.DateTimeField(_("发现超时"))
    overdue_seconds = models.PositiveIntegerField(_("超时秒数"), default=0)

    class Meta:
        verbose_name = _("超时记录")
        verbose_name_plural = _("超时记录")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "clock", "level"], name="deadline_breach_once_per_level"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="deadline_breach_target")]

    def __str__(self):
        return f"{self.clock}@{self.level}"
