"""SRV-2: SLA clocks run on business time — 24×7 or working windows with China's statutory days and 调休.

Dates used (from the `chinese-calendar` data seeded after migrate): 2026-10-01..07 are the National
Day holidays, Sat 2026-10-10 and Sun 2026-09-20 are adjusted working days, and 2027 has no entries.
The seeded "office" calendar works Mon–Fri 09:00–12:00 and 13:30–18:00.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from salesservice.core import admin_calendar  # noqa: F401 — registers the calendar admin
from salesservice.core.business_calendar import (
    CalendarRuntime,
    add_business_hours,
    add_business_time,
    business_time_between,
    get_calendar,
    is_working_day,
    missing_statutory_years,
    working_intervals,
)
from salesservice.core.choices import CalendarKind
from salesservice.core.exceptions import DomainError
from salesservice.core.models import BusinessCalendar, StatutoryDay, WorkingWindow

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def office():
    return get_calendar("office")


@pytest.fixture
def always():
    return get_calendar("24x7")


def freeze_today(monkeypatch, today: date):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)


# --- 24×7 -------------------------------------------------------------------------------------


def test_always_calendar_is_plain_arithmetic_and_ignores_holidays(always):
    start = at(2026, 9, 30, 17)
    assert add_business_time(always, start, timedelta(hours=30)) == at(2026, 10, 1, 23)
    assert business_time_between(always, start, at(2026, 10, 8, 10)) == timedelta(days=7, hours=17)
    assert is_working_day(always, date(2026, 10, 1))
    assert working_intervals(always, date(2026, 10, 1)) == [(at(2026, 10, 1), at(2026, 10, 2))]


def test_results_are_in_the_calendar_time_zone_whatever_the_input_zone(always, office):
    start_utc = at(2026, 3, 9, 11).astimezone(ZoneInfo("UTC"))
    result = add_business_time(office, start_utc, timedelta(hours=2))
    assert result == at(2026, 3, 9, 14, 30) and result.tzinfo == SHANGHAI
    assert add_business_time(always, start_utc, timedelta(hours=1)).tzinfo == SHANGHAI


# --- working windows ----------------------------------------------------------------------------


def test_lunch_break_is_skipped(office):
    assert add_business_time(office, at(2026, 3, 9, 11), timedelta(hours=2)) == at(2026, 3, 9, 14, 30)


def test_start_during_lunch_counts_from_the_afternoon_window(office):
    assert add_business_time(office, at(2026, 3, 9, 12, 30), timedelta(hours=1)) == at(2026, 3, 9, 14, 30)


def test_start_before_opening_counts_from_opening(office):
    assert add_business_time(office, at(2026, 3, 9, 7), timedelta(hours=1)) == at(2026, 3, 9, 10)


def test_start_after_closing_counts_from_next_morning(office):
    assert add_business_time(office, at(2026, 3, 9, 19), timedelta(hours=1)) == at(2026, 3, 10, 10)


def test_start_on_weekend_counts_from_monday(office):
    assert add_business_time(office, at(2026, 3, 14, 10), timedelta(hours=1)) == at(2026, 3, 16, 10)


def test_duration_filling_a_window_ends_at_its_close_not_the_next_opening(office):
    assert add_business_time(office, at(2026, 3, 9, 9), timedelta(hours=3)) == at(2026, 3, 9, 12)


def test_zero_duration_returns_start_even_outside_hours(office):
    saturday_night = at(2026, 3, 14, 23)
    assert add_business_time(office, saturday_night, timedelta(0)) == saturday_night


def test_naive_datetimes_and_negative_durations_are_refused(office):
    with pytest.raises(ValueError):
        add_business_time(office, datetime(2026, 3, 9, 11), timedelta(hours=1))
    with pytest.raises(ValueError):
        business_time_between(office, at(2026, 3, 9, 9), datetime(2026, 3, 9, 11))
    with pytest.raises(ValueError):
        add_business_time(office, at(2026, 3, 9, 11), timedelta(hours=-1))


def test_add_business_hours_accepts_decimal_int_and_float(office):
    start = at(2026, 3, 9, 9)
    assert add_business_hours(office, start, Decimal("1.5")) == at(2026, 3, 9, 10, 30)
    assert add_business_hours(office, start, 2) == at(2026, 3, 9, 11)
    assert add_business_hours(office, start, 0.25) == at(2026, 3, 9, 9, 15)


def test_between_counts_only_working_windows(office):
    friday_evening, monday_noon = at(2026, 3, 13, 17), at(2026, 3, 16, 12)
    assert business_time_between(office, friday_evening, monday_noon) == timedelta(hours=4)
    assert business_time_between(office, monday_noon, friday_evening) == timedelta(0)


def test_overlapping_windows_do_not_count_twice(office):
    WorkingWindow.objects.create(calendar=office, weekday=0, start=time(11), end=time(14))
    monday = date(2026, 3, 9)
    assert working_intervals(office, monday) == [(at(2026, 3, 9, 9), at(2026, 3, 9, 18))]
    assert business_time_between(office, at(2026, 3, 9), at(2026, 3, 10)) == timedelta(hours=9)


def test_calendar_without_working_time_raises_domain_error():
    empty = BusinessCalendar.objects.create(code="empty", name="空日历", kind=CalendarKind.BUSINESS_HOURS)
    with pytest.raises(DomainError) as error:
        add_business_time(empty, at(2026, 3, 9, 9), timedelta(hours=1))
    assert error.value.code == "calendar.no_working_time"
    assert business_time_between(empty, at(2026, 3, 9), at(2026, 4, 9)) == timedelta(0)


def test_unknown_calendar_code_raises_domain_error():
    with pytest.raises(DomainError) as error:
        get_calendar("nope")
    assert error.value.code == "calendar.unknown"


# --- statutory days and 调休 -------------------------------------------------------------------


def test_golden_week_is_skipped(office):
    # Wed 09-30 17:00–18:00 is 1 h; 10-01..07 are holidays; Thu 10-08 09:00 + 1 h.
    start = at(2026, 9, 30, 17)
    assert add_business_time(office, start, timedelta(hours=2)) == at(2026, 10, 8, 10)
    assert business_time_between(office, start, at(2026, 10, 8, 10, 30)) == timedelta(hours=2, minutes=30)
    assert not any(is_working_day(office, date(2026, 10, day)) for day in range(1, 8))


def test_adjusted_saturday_after_golden_week_is_a_working_day(office):
    assert is_working_day(office, date(2026, 10, 10))
    assert not is_working_day(office, date(2026, 10, 11))
    assert add_business_time(office, at(2026, 10, 9, 17), timedelta(hours=2)) == at(2026, 10, 10, 10)


def test_adjusted_sunday_counts_as_working_time(office):
    sunday = date(2026, 9, 20)
    assert StatutoryDay.objects.get(date=sunday).kind == "workday"
    assert working_intervals(office, sunday) == [  # Monday's windows
        (at(2026, 9, 20, 9), at(2026, 9, 20, 12)),
        (at(2026, 9, 20, 13, 30), at(2026, 9, 20, 18)),
    ]
    assert add_business_time(office, at(2026, 9, 19, 10), timedelta(hours=1)) == at(2026, 9, 20, 10)
    assert business_time_between(office, at(2026, 9, 19), at(2026, 9, 21)) == timedelta(hours=7, minutes=30)


def test_adjusted_workday_uses_the_configured_weekday_windows():
    shop = BusinessCalendar.objects.create(
        code="shop", name="门店", kind=CalendarKind.BUSINESS_HOURS, adjusted_workday_as_weekday=5
    )
    WorkingWindow.objects.create(calendar=shop, weekday=0, start=time(9), end=time(18))
    WorkingWindow.objects.create(calendar=shop, weekday=5, start=time(10), end=time(16))
    assert working_intervals(shop, date(2026, 9, 20)) == [(at(2026, 9, 20, 10), at(2026, 9, 20, 16))]


def test_calendar_not_observing_statutory_days_works_on_holidays(office):
    office.observes_statutory_days = False
    office.save()
    assert is_working_day(office, date(2026, 10, 1))
    assert not is_working_day(office, date(2026, 9, 20))


def test_year_without_entries_falls_back_to_plain_weekends(office):
    assert not StatutoryDay.objects.filter(date__year=2027).exists()
    assert is_working_day(office, date(2027, 1, 1))  # would be 元旦, but nobody has entered 2027 yet
    assert not is_working_day(office, date(2027, 1, 2))
    thursday_evening = at(2026, 12, 31, 17)
    assert add_business_time(office, thursday_evening, timedelta(hours=2)) == at(2027, 1, 1, 10)
    runtime = CalendarRuntime(office)
    assert business_time_between(runtime, at(2027, 1, 1), at(2027, 1, 8)) == timedelta(hours=37, minutes=30)
    assert runtime.years_without_entries == {2027}


def test_deleting_a_year_of_entries_falls_back_without_crashing(office):
    StatutoryDay.objects.filter(date__year=2026).delete()
    assert is_working_day(office, date(2026, 10, 1))
    assert not is_working_day(office, date(2026, 9, 20))
    assert add_business_time(office, at(2026, 9, 30, 17), timedelta(hours=2)) == at(2026, 10, 1, 10)


def test_statutory_days_are_loaded_per_range_not_per_day(office, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the windows, then both years' statutory days at once
        total = business_time_between(office, at(2026, 1, 1), at(2027, 6, 30))
    assert total > timedelta(hours=2000)
    runtime = CalendarRuntime(office)
    with django_assert_max_num_queries(2):  # one query per year the walk enters
        add_business_time(runtime, at(2026, 9, 30, 17), timedelta(hours=400))


# --- add and between agree ----------------------------------------------------------------------

ROUND_TRIP_STARTS = [at(2026, 9, 30, 17), at(2026, 10, 9, 12, 15), at(2026, 9, 19, 3), at(2026, 12, 31, 17, 59)]
ROUND_TRIP_DURATIONS = [timedelta(0), timedelta(minutes=1), timedelta(hours=3), timedelta(hours=7, minutes=30)]


@pytest.mark.parametrize("start", ROUND_TRIP_STARTS)
@pytest.mark.parametrize("duration", [*ROUND_TRIP_DURATIONS, timedelta(hours=80)])
def test_between_measures_what_add_added(office, start, duration):
    assert business_time_between(office, start, add_business_time(office, start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2027, 1, 31), timezones=st.just(SHANGHAI)),
    minutes=st.integers(min_value=0, max_value=60 * 60),
    code=st.sampled_from(["office", "24x7"]),
)
def test_round_trip_property_between_of_add_is_the_duration(start, minutes, code):
    runtime = CalendarRuntime(get_calendar(code))
    duration = timedelta(minutes=minutes)
    end = add_business_time(runtime, start, duration)
    assert end >= start
    assert business_time_between(runtime, start, end) == duration


# --- admin warning ------------------------------------------------------------------------------


def test_missing_years_lists_current_year_without_entries():
    assert missing_statutory_years(date(2026, 6, 1)) == []
    assert missing_statutory_years(date(2027, 3, 1)) == [2027]


def test_missing_years_adds_next_year_near_year_end(settings):
    assert missing_statutory_years(date(2026, 11, 15)) == [2027]
    assert missing_statutory_years(date(2027, 12, 1)) == [2027, 2028]
    settings.HOLIDAY_WARNING_DAYS = 30
    assert missing_statutory_years(date(2026, 11, 15)) == []


def test_sync_command_restores_rows_and_warns_about_missing_years(monkeypatch):
    freeze_today(monkeypatch, date(2026, 11, 15))
    deleted, _ = StatutoryDay.objects.filter(date__year=2026).delete()
    out = StringIO()
    call_command("sync_statutory_days", "--year", "2026", "--year", "2027", stdout=out)
    output = out.getvalue()
    assert f"已新增 {deleted} 条" in output
    assert "chinese-calendar 没有 2027 年的数据" in output
    assert "2027 年的法定节假日与调休尚未维护" in output
    assert StatutoryDay.objects.filter(date__year=2026).count() == deleted


def test_sync_command_adds_nothing_when_up_to_date():
    out = StringIO()
    call_command("sync_statutory_days", stdout=out)
    assert "已新增 0 条" in out.getvalue()


def test_statutory_day_admin_warns_about_missing_year(admin_client, monkeypatch):
    freeze_today(monkeypatch, date(2026, 11, 15))
    response = admin_client.get(reverse("admin:core_statutoryday_changelist"))
    assert response.status_code == 200
    assert "2027 年的法定节假日与调休尚未维护" in response.content.decode()


def test_statutory_day_admin_is_quiet_when_years_are_maintained(admin_client, monkeypatch):
    freeze_today(monkeypatch, date(2026, 6, 1))
    response = admin_client.get(reverse("admin:core_statutoryday_changelist"))
    assert response.status_code == 200
    assert "尚未维护" not in response.content.decode()


def test_calendar_admin_shows_working_windows_inline(admin_client, office):
    response = admin_client.get(reverse("admin:core_businesscalendar_change", args=[office.pk]))
    assert response.status_code == 200
    assert "工作时段" in response.content.decode()
