"""Business calendars for SLA clocks: 24×7, or working windows with China's statutory days."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CalendarKind, StatutoryDayKind


class BusinessCalendar(models.Model):
    """A calendar an SLA clock runs on. `business_hours` calendars use `WorkingWindow`s and,
    when `observes_statutory_days`, skip statutory holidays and work on adjusted days (调休)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=CalendarKind.choices, default=CalendarKind.ALWAYS)
    observes_statutory_days = models.BooleanField(_("遵循法定节假日与调休"), default=True)
    adjusted_workday_as_weekday = models.PositiveSmallIntegerField(
        _("调休工作日按星期几的工作时间"), default=0, help_text=_("0=星期一 … 6=星期日")
    )

    class Meta:
        verbose_name = _("业务日历")
        verbose_name_plural = _("业务日历")

    def __str__(self):
        return self.name


class WorkingWindow(models.Model):
    """One working window on one weekday, e.g. Monday 09:00–12:00; several per day allow a lunch break."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("星期"), help_text=_("0=星期一 … 6=星期日"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        verbose_name = _("工作时段")
        verbose_name_plural = _("工作时段")
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="window_end_after_start"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="window_weekday_range"),
        ]

    def __str__(self):
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class StatutoryDay(models.Model):
    """A statutory holiday or an adjusted working day (调休) published by the State Council.

    Admins maintain this table; `sync_statutory_days` seeds it from `chinese-calendar`.
    A year with no rows falls back to plain weekends and is flagged to admins.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=StatutoryDayKind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("法定节假日/调休")
        verbose_name_plural = _("法定节假日/调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"
