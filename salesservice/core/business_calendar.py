"""Business time for SLA clocks — policy clause SRV-2 (service deadlines run on business time).

A `BusinessCalendar` is either 24×7 (plain elapsed time) or `business_hours`: working windows per
weekday (several per day, so a lunch break is simply a gap) and, when it observes statutory days,
China's public holidays (no work) and adjusted working days (调休, usually a Saturday or Sunday that
then uses the windows of `adjusted_workday_as_weekday`).

The statutory days live in the `StatutoryDay` table admins maintain. The State Council publishes
each next year's schedule late in the year, so a year without any rows is normal for a while: it
falls back to plain weekdays/weekends, is reported by `missing_statutory_years()` so admins get a
warning, and never raises.

Choices worth knowing:
- A zero duration returns the start unchanged, even outside working hours: "nothing left to do"
  is due now, not at the next opening.
- A duration that uses up a window exactly ends at that window's close (Mon 09:00 + 3 h → 12:00),
  not at the next opening; a deadline is the last moment the work may be done.
- Results are in the calendar's time zone (Django's `TIME_ZONE`); elapsed time is computed in UTC
  so the arithmetic is right even in a zone with daylight saving time.
- A window cannot run through midnight (the model requires end > start); use two windows.
"""

from __future__ import annotations

import logging
from bisect import insort
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CalendarKind, StatutoryDayKind
from .exceptions import DomainError
from .models import BusinessCalendar, StatutoryDay

logger = logging.getLogger(__name__)

# How long the walk may go without meeting any working time before the calendar is declared empty.
MAX_IDLE_DAYS = 3 * 366

__all__ = [
    "CalendarRuntime",
    "add_business_hours",
    "add_business_time",
    "business_time_between",
    "get_calendar",
    "is_working_day",
    "missing_statutory_years",
    "working_intervals",
]

Interval = tuple[datetime, datetime]


class CalendarRuntime:
    """A calendar ready for computing: its windows loaded once, statutory days loaded per year on demand.

    Build one per computation (or per batch of computations over the same calendar); it does not
    notice later edits to the windows or statutory days.
    """

    def __init__(self, calendar: BusinessCalendar):
        self.calendar = calendar
        self.tz: ZoneInfo = timezone.get_default_timezone()
        self.always = calendar.kind == CalendarKind.ALWAYS
        self.observes_statutory_days = calendar.observes_statutory_days and not self.always
        self._windows: dict[int, list[tuple[time, time]]] = {weekday: [] for weekday in range(7)}
        if not self.always:
            for window in calendar.windows.all():
                insort(self._windows[window.weekday], (window.start, window.end))
            self._windows = {weekday: _merge(windows) for weekday, windows in self._windows.items()}
        self._statutory: dict[date, str] = {}
        self._loaded_years: set[int] = set()
        self.years_without_entries: set[int] = set()

    @property
    def has_working_time(self) -> bool:
        return self.always or any(self._windows.values())

    # --- statutory days ----------------------------------------------------------------------

    def load_years(self, first: int, last: int) -> None:
        """Load the statutory days of the years first..last not loaded yet, in one query."""
        if not self.observes_statutory_days:
            return
        wanted = [year for year in range(first, last + 1) if year not in self._loaded_years]
        if not wanted:
            return
        rows = StatutoryDay.objects.filter(date__gte=date(wanted[0], 1, 1), date__lte=date(wanted[-1], 12, 31))
        found_years = set()
        for day, kind in rows.values_list("date", "kind"):
            self._statutory[day] = kind
            found_years.add(day.year)
        for year in wanted:
            self._loaded_years.add(year)
            if year not in found_years:
                self.years_without_entries.add(year)
                logger.warning("No statutory days for %s in the calendar table; using plain weekends.", year)

    def statutory_kind(self, day: date) -> str | None:
        if not self.observes_statutory_days:
            return None
        if day.year not in self._loaded_years:
            self.load_years(day.year, day.year)
        return self._statutory.get(day)

    # --- days --------------------------------------------------------------------------------

    def windows_for(self, day: date) -> list[tuple[time, time]]:
        """The working windows (local wall-clock times) that apply on `day`."""
        kind = self.statutory_kind(day)
        if kind == StatutoryDayKind.HOLIDAY:
            return []
        if kind == StatutoryDayKind.WORKDAY:
            return self._windows[self.calendar.adjusted_workday_as_weekday]
        return self._windows[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        return self.always or bool(self.windows_for(day))

    def intervals(self, day: date) -> list[Interval]:
        """The working intervals of `day` as aware datetimes in the calendar's time zone."""
        if self.always:
            return [
                (datetime.combine(day, time.min, self.tz), datetime.combine(day + timedelta(days=1), time.min, self.tz))
            ]
        return [
            (datetime.combine(day, start, self.tz), datetime.combine(day, end, self.tz))
            for start, end in self.windows_for(day)
        ]

    # --- arithmetic --------------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        _require_aware(start, "start")
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        local_start = start.astimezone(self.tz)
        if not duration:
            return local_start
        if self.always:
            return _shift(local_start, duration, self.tz)
        if not self.has_working_time:
            raise _no_working_time(self.calendar)

        remaining = duration
        day = local_start.date()
        idle_days = 0
        while idle_days <= MAX_IDLE_DAYS:
            worked_today = False
            for opens, closes in self.intervals(day):
                if closes <= local_start:
                    continue
                begin = max(opens, local_start)
                available = _elapsed(begin, closes)
                if remaining <= available:
                    return _shift(begin, remaining, self.tz)
                remaining -= available
                worked_today = True
            idle_days = 0 if worked_today else idle_days + 1
            day += timedelta(days=1)
        raise _no_working_time(self.calendar)

    def between(self, start: datetime, end: datetime) -> timedelta:
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end <= start:
            return timedelta(0)
        if self.always:
            return _elapsed(start, end)
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        self.load_years(local_start.year, local_end.year)
        total = timedelta(0)
        day = local_start.date()
        while day <= local_end.date():
            for opens, closes in self.intervals(day):
                begin, finish = max(opens, local_start), min(closes, local_end)
                if finish > begin:
                    total += _elapsed(begin, finish)
            day += timedelta(days=1)
        return total


# --- public functions ----------------------------------------------------------------------


def add_business_time(calendar: BusinessCalendar | CalendarRuntime, start: datetime, duration: timedelta) -> datetime:
    """SRV-2: the moment `duration` of business time after `start` (an aware datetime).

    A start outside working hours counts from the next opening; a zero duration returns `start`
    (in the calendar's time zone) unchanged. Raises `DomainError("calendar.no_working_time")` when
    the calendar never works, `ValueError` for a naive start or a negative duration.
    """
    return _runtime(calendar).add(start, duration)


def add_business_hours(
    calendar: BusinessCalendar | CalendarRuntime, start: datetime, hours: Decimal | int | float
) -> datetime:
    """SRV-2: `add_business_time` with the duration in hours, as policy parameters state it."""
    return add_business_time(calendar, start, hours_to_timedelta(hours))


def business_time_between(calendar: BusinessCalendar | CalendarRuntime, start: datetime, end: datetime) -> timedelta:
    """SRV-2: business time elapsed from `start` to `end` (zero when `end` is not after `start`)."""
    return _runtime(calendar).between(start, end)


def is_working_day(calendar: BusinessCalendar | CalendarRuntime, day: date) -> bool:
    """Whether `day` has any working time on this calendar (statutory days and 调休 applied)."""
    return _runtime(calendar).is_working_day(day)


def working_intervals(calendar: BusinessCalendar | CalendarRuntime, day: date) -> list[Interval]:
    """The working intervals of `day`, as aware datetimes in the calendar's time zone, in order."""
    return _runtime(calendar).intervals(day)


def missing_statutory_years(today: date | None = None) -> list[int]:
    """Years whose statutory days admins still have to enter, for the warning on admin pages.

    The current year when it has no rows, and the next year when it has none and fewer than
    `settings.HOLIDAY_WARNING_DAYS` days remain until the end of the current year.
    """
    today = today or timezone.localdate()
    year = today.year
    present = {
        day.year
        for day in StatutoryDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year + 1, 12, 31)).dates(
            "date", "year"
        )
    }
    missing = []
    if year not in present:
        missing.append(year)
    days_to_year_end = (date(year, 12, 31) - today).days
    if year + 1 not in present and days_to_year_end < settings.HOLIDAY_WARNING_DAYS:
        missing.append(year + 1)
    return missing


def get_calendar(code: str) -> BusinessCalendar:
    """The calendar with this code; `DomainError("calendar.unknown")` when there is none."""
    calendar = BusinessCalendar.objects.filter(code=code).first()
    if calendar is None:
        raise DomainError("calendar.unknown", _("未知的业务日历：%(code)s") % {"code": code})
    return calendar


def hours_to_timedelta(hours: Decimal | int | float) -> timedelta:
    """Exact conversion (to the microsecond) of a number of hours; floats go through their decimal text."""
    if isinstance(hours, bool) or not isinstance(hours, Decimal | int | float):
        raise TypeError(f"hours must be a number, not {type(hours).__name__}")
    amount = hours if isinstance(hours, Decimal) else Decimal(str(hours))
    if not amount.is_finite():
        raise ValueError("hours must be finite")
    return timedelta(microseconds=int((amount * 3_600_000_000).to_integral_value()))


# --- helpers -------------------------------------------------------------------------------


def _runtime(calendar: BusinessCalendar | CalendarRuntime) -> CalendarRuntime:
    return calendar if isinstance(calendar, CalendarRuntime) else CalendarRuntime(calendar)


def _merge(windows: list[tuple[time, time]]) -> list[tuple[time, time]]:
    """Overlapping or touching windows (sorted) become one, so no minute counts twice."""
    merged: list[tuple[time, time]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime")
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be timezone-aware")


def _elapsed(begin: datetime, end: datetime) -> timedelta:
    # Subtracting aware datetimes that share a tzinfo gives wall-clock time; UTC gives real time.
    return end.astimezone(UTC) - begin.astimezone(UTC)


def _shift(moment: datetime, duration: timedelta, tz: ZoneInfo) -> datetime:
    return (moment.astimezone(UTC) + duration).astimezone(tz)


def _no_working_time(calendar: BusinessCalendar) -> DomainError:
    return DomainError(
        "calendar.no_working_time",
        _("业务日历“%(name)s”没有任何工作时间，无法计算时限。请在后台为其设置工作时段。") % {"name": calendar.name},
    )
