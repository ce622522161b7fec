"""Timeline events, the personal-data access log, restriction markers and idempotency records."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import EventType


class Event(models.Model):
    """A typed timeline event a service writes in the same transaction as its change.

    This is the history a user reads on a record (who did what, old → new, from where).
    Field-level changes of every model are recorded separately by django-auditlog.
    """

    # Not `choices=`: each app declares its own EventType enum (see `register_event_types`),
    # so adding an event type never needs a migration of core.
    event_type = models.CharField(_("事件"), max_length=60, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # No index of its own: the (target_type, target_id, -id) index below leads with it. No database constraint:
    # the check of each new row's content type ran at COMMIT, 3 000 of them in a 1 000-due sweep (issue 17 §3);
    # events are appended by the system for rows it has just written, and content types are never deleted.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    target_id = models.CharField(max_length=40)
    target = GenericForeignKey("target_type", "target_id")
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(_("途径"), max_length=40, blank=True, help_text=_("web / api:token#id / job / command"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-id"])]

    def __str__(self):
        return f"{self.label} {self.target_type_id}:{self.target_id}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.event_type, self.event_type))


EVENT_LABELS: dict[str, str] = {}


def register_event_types(choices) -> None:
    """Apps call this with their EventType TextChoices so the timeline shows a readable label."""
    EVENT_LABELS.update(dict(choices.choices))


register_event_types(EventType)


class PersonalDataAccess(models.Model):
    """Each reveal of a masked personal-data value (INF-1, SRV-10): who read which field of whom."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    # no index of its own: the (target_type, target_id) index below leads with it (issue 17)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    target_id = models.CharField(max_length=40)
    target = GenericForeignKey("target_type", "target_id")
    field = models.CharField(_("字段"), max_length=60)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.user} → {self.target_type_id}:{self.target_id}.{self.field}"


class IdempotencyRecord(models.Model):
    """The response to a create that carried an `Idempotency-Key`, replayed on a retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


class PersonalDataRestriction(models.Model):
    """The restriction marker of one record the law requires to keep (see `core.personal_data`).

    The record stays; its personal values are held here (`sealed`: {field: {"value": original, "erased": what
    the field becomes when the period is over}}), with the data subject's identity as the record referred to it
    (`subject`: {label: value}, the customer row itself being anonymised), and the record shows them masked —
    for every role, in every page, API, export and audit view; `privacy.reveal` refuses them
    (`privacy.restricted`). Kept until `retained_until` (empty: for ever — implantable devices);
    `personal_data.purge_expired_restrictions` erases them after that day.

    Not registered with django-auditlog and not in the admin: nothing shows these values.
    """

    # no index of its own: the unique (target_type, target_id) constraint below leads with it (issue 17)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    target_id = models.CharField(max_length=40)
    target = GenericForeignKey("target_type", "target_id")
    label = models.CharField(_("记录类别"), max_length=100)
    basis = models.CharField(_("保存依据"), max_length=200)
    retained_until = models.DateField(_("保存期至"), null=True, blank=True, help_text=_("留空表示永久保存"))
    sealed = models.JSONField(_("封存的个人信息"), default=dict, blank=True)
    subject = models.JSONField(_("数据主体身份"), default=dict, blank=True)
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField(_("限制处理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("个人信息限制处理")
        verbose_name_plural = _("个人信息限制处理")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="uniq_personal_data_restriction")
        ]
        indexes = [models.Index(fields=["retained_until"], name="pdr_retained_until")]

    def __str__(self):
        return f"{self.label} {self.target_type_id}:{self.target_id} → {self.retained_until or '∞'}"
