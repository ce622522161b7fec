"""Gapless document numbering per document type (DESIGN §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ResetPeriod


class NumberSeries(models.Model):
    """How numbers of one document type look: `SR-20261122-0001` is prefix SR, daily reset, 4 digits."""

    doc_type = models.SlugField(_("单据类型"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=10)
    reset = models.CharField(_("重置周期"), max_length=10, choices=ResetPeriod.choices, default=ResetPeriod.DAILY)
    padding = models.PositiveSmallIntegerField(_("序号位数"), default=4)

    class Meta:
        verbose_name = _("编号规则")
        verbose_name_plural = _("编号规则")

    def __str__(self):
        return f"{self.name} ({self.prefix})"


class NumberCounter(models.Model):
    """The last number issued in one period of a series; locked while a number is taken."""

    series = models.ForeignKey(NumberSeries, on_delete=models.CASCADE, related_name="counters")
    period_key = models.CharField(max_length=8)  # "20261122", "2026" or "" (never resets)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "period_key"], name="uniq_counter_period")]

    def __str__(self):
        return f"{self.series.prefix}-{self.period_key}: {self.last_value}"
