from django.db import models

from salesservice.core.models.base import ScopedQuerySet, VersionedModel


class Ticket(VersionedModel):
    """A minimal org-scoped document with a status, like every later business document."""

    STATUS_CHOICES = [("open", "打开"), ("working", "处理中"), ("done", "完成"), ("cancelled", "取消")]
    TRANSITIONS = {
        "open": {"working", "cancelled"},
        "working": {"done", "cancelled"},
        "done": set(),
        "cancelled": set(),
    }

    title = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="open")
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT)
    resolution = models.CharField("处理结果", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "org_unit"

    class Meta:
        app_label = "workflow_app"

    def __str__(self):
        return self.title
