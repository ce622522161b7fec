"""Versioned policy parameters (DESIGN §5): the seeds' numbers as editable, audited values."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ValueType


class PolicyParameter(models.Model):
    """One rule's number, e.g. `service.first_contact_hours` = 2 h from seed 002 §6.6.2 (SRV-2).

    The value itself lives in `PolicyValue` rows; the one in force at a moment is the latest
    whose `effective_from` is not after it. Editing adds a version — old values stay readable.
    """

    key = models.CharField(_("参数键"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    category = models.CharField(_("分类"), max_length=40, blank=True)
    value_type = models.CharField(_("类型"), max_length=10, choices=ValueType.choices)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    source_clause = models.CharField(_("政策条款"), max_length=60, blank=True, help_text=_("如 SRV-2"))
    source_document = models.CharField(_("来源文件"), max_length=120, blank=True, help_text=_("如 002 §6.6.2"))
    min_value = models.DecimalField(_("最小值"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=14, decimal_places=4, null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("政策参数")
        verbose_name_plural = _("政策参数")
        ordering = ["category", "key"]

    def __str__(self):
        return self.name


class PolicyValue(models.Model):
    """One version of a parameter's value, in force from `effective_from`.

    DOC-1: a value set through `policy_set` names the controlled document version that set it
    (`document_ref`, the id of a `documents.DocumentVersion`, and `document_label`, its number and version as
    they read when the value was set). It is a plain id, not a foreign key: `core` sits below `documents`
    and must not depend on it (no import, no migration dependency); the documents app checks the id through
    the authority it registers with `core.policy.register_document_authority`. Seeded values (version 1,
    from the seeds) have none.
    """

    parameter = models.ForeignKey(PolicyParameter, on_delete=models.CASCADE, related_name="values")
    number = models.PositiveIntegerField(_("版本"))
    value = models.JSONField(_("值"))
    effective_from = models.DateTimeField(_("生效时间"))
    reason = models.CharField(_("变更原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    document_ref = models.PositiveBigIntegerField(
        _("依据文件版本 id"), null=True, blank=True, db_index=True, help_text=_("设定该值的受控文件版本（DOC-1）")
    )
    document_label = models.CharField(_("依据文件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政策参数版本")
        verbose_name_plural = _("政策参数版本")
        ordering = ["parameter", "-effective_from", "-number"]
        constraints = [models.UniqueConstraint(fields=["parameter", "number"], name="uniq_policy_value_number")]
        indexes = [models.Index(fields=["parameter", "effective_from"])]

    def __str__(self):
        return f"{self.parameter.key} v{self.number} = {self.value}"
