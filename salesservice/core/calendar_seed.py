"""Default business calendars and the statutory-day table seeded from `chinese-calendar`."""

from datetime import date, time

from . import config_cache
from .choices import CalendarKind, StatutoryDayKind

# Mon–Fri 09:00–12:00 and 13:30–18:00 (a lunch break), Saturday morning for stores.
DEFAULT_WINDOWS = [(day, time(9, 0), time(12, 0)) for day in range(5)] + [
    (day, time(13, 30), time(18, 0)) for day in range(5)
]


def seed_calendars() -> None:
    from .models import BusinessCalendar, StatutoryDay, WorkingWindow

    BusinessCalendar.objects.get_or_create(
        code="24x7", defaults={"name": "全天候 24×7", "kind": CalendarKind.ALWAYS, "observes_statutory_days": False}
    )
    office, created = BusinessCalendar.objects.get_or_create(
        code="office", defaults={"name": "总部工作时间（含法定节假日与调休）", "kind": CalendarKind.BUSINESS_HOURS}
    )
    if created:
        WorkingWindow.objects.bulk_create(
            [WorkingWindow(calendar=office, weekday=d, start=s, end=e) for d, s, e in DEFAULT_WINDOWS]
        )
        config_cache.bump()  # bulk_create sends no signal
    if not StatutoryDay.objects.exists():
        sync_statutory_days()


def known_years() -> list[int]:
    """The years `chinese-calendar` has the State Council schedule for."""
    import chinese_calendar

    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return years


def sync_statutory_days(years: list[int] | None = None) -> int:
    """Insert statutory holidays and adjusted workdays from `chinese-calendar`; never overwrites
    rows admins have edited. Returns the number of rows created."""
    import chinese_calendar

    from .models import StatutoryDay

    wanted = set(years) if years else None
    existing = set(StatutoryDay.objects.values_list("date", flat=True))
    rows = []
    for source, kind in (
        (chinese_calendar.holidays, StatutoryDayKind.HOLIDAY),
        (chinese_calendar.workdays, StatutoryDayKind.WORKDAY),
    ):
        for day, name in sorted(source.items()):
            if (wanted is None or day.year in wanted) and day not in existing:
                rows.append(StatutoryDay(date=day, kind=kind, name=_label(name)))
    StatutoryDay.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        config_cache.bump()  # bulk_create sends no signal: processes re-read their calendars
    return len(rows)


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _label(name) -> str:
    english = getattr(name, "value", name) or ""
    return _HOLIDAY_NAMES.get(english, english)[:40]


def year_has_entries(year: int) -> bool:
    from .models import StatutoryDay

    return StatutoryDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)).exists()
