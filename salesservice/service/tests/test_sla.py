"""SRV-2: deadlines on the SLA calendar in force at receipt; pauses measured in business time; the
deadlines are recomputable from the request's history."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from salesservice.core.choices import CalendarKind, StatutoryDayKind
from salesservice.core.models import BusinessCalendar, PolicyParameter, PolicyValue, StatutoryDay, WorkingWindow

from .. import services
from ..choices import ServiceRequestStatus as S
from ..sla import recompute_deadlines
from .factories import CertificationFactory, ProductFactory, make_request, user

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def business_hours(demo):
    """Mon–Fri 09:00–12:00 + 13:30–18:00 (lunch break) with the 2025 National Day holiday and its 调休,
    put in force (as policy `service.sla_calendar`) from 2025-01-01."""
    calendar = BusinessCalendar.objects.create(
        code="store-hours", name="门店工作时间", kind=CalendarKind.BUSINESS_HOURS, adjusted_workday_as_weekday=0
    )
    for weekday in range(5):
        WorkingWindow.objects.create(calendar=calendar, weekday=weekday, start=dt.time(9), end=dt.time(12))
        WorkingWindow.objects.create(calendar=calendar, weekday=weekday, start=dt.time(13, 30), end=dt.time(18))
    for day in range(1, 9):
        StatutoryDay.objects.update_or_create(
            date=dt.date(2025, 10, day), defaults={"kind": StatutoryDayKind.HOLIDAY, "name": "国庆节"}
        )
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        StatutoryDay.objects.update_or_create(date=day, defaults={"kind": StatutoryDayKind.WORKDAY, "name": "国庆调休"})
    parameter = PolicyParameter.objects.get(key="service.sla_calendar")
    PolicyValue.objects.create(
        parameter=parameter,
        number=parameter.values.count() + 1,
        value="store-hours",
        effective_from=at(2025, 1, 1),
        reason="测试：门店工作时间",
    )
    return calendar


def test_deadlines_on_24x7_calendar(demo):
    received = at(2026, 11, 20, 23, 30)
    request = make_request(received_at=received)
    assert request.first_contact_due_at == at(2026, 11, 21, 1, 30)
    assert request.escalation_due_at == at(2026, 11, 21, 23, 30)
    assert request.number.startswith("SR-20261120-")


def test_deadlines_on_business_hours_skip_the_holiday_and_use_the_adjusted_workday(business_hours):
    # Tue 30 Sep 17:00: 1 h left that day, then the National Day holiday (1–8 Oct).
    request = make_request(received_at=at(2025, 9, 30, 17))
    assert request.first_contact_due_at == at(2025, 10, 9, 10)
    # 24 h = 1 h (30 Sep) + 7.5 h (Thu 9) + 7.5 h (Fri 10) + 7.5 h (Sat 11, 调休) + 0.5 h (Mon 13).
    assert request.escalation_due_at == at(2025, 10, 13, 9, 30)


def test_policy_value_in_force_at_receipt_is_used(business_hours):
    before = make_request(received_at=at(2024, 12, 31, 17))  # still 24×7 then
    assert before.first_contact_due_at == at(2024, 12, 31, 19)


def test_pause_and_resume_extend_the_open_deadlines_by_business_time(business_hours):
    request = make_request(received_at=at(2025, 9, 30, 17))
    cs = user("xuhui_cs")
    services.request_wait_customer(actor=cs, request_id=request.pk, reason="客户国庆外出", at=at(2025, 9, 30, 17, 30))
    request.refresh_from_db()
    assert request.status == S.WAITING_CUSTOMER
    assert request.paused_from_status == S.RECEIVED

    # Nine days on the wall clock, but only 0.5 h + 1 h of business time.
    services.request_resume(actor=cs, request_id=request.pk, at=at(2025, 10, 9, 10))
    request.refresh_from_db()
    assert request.status == S.RECEIVED
    assert request.paused_business_seconds == 5400
    assert request.first_contact_due_at == at(2025, 10, 9, 11, 30)
    assert request.escalation_due_at == at(2025, 10, 13, 11)


def test_first_contact_stops_its_clock_and_a_later_pause_only_moves_escalation(demo):
    received = at(2026, 11, 1, 9)
    request = make_request(received_at=received)
    cs = user("xuhui_cs")
    services.request_contact(actor=cs, request_id=request.pk, at=received + dt.timedelta(hours=1))
    services.request_wait_customer(
        actor=cs, request_id=request.pk, reason="等客户寄回", at=received + dt.timedelta(hours=2)
    )
    services.request_resume(actor=cs, request_id=request.pk, at=received + dt.timedelta(hours=7))
    request.refresh_from_db()
    assert request.status == S.CONTACTED
    assert request.first_contact_due_at == received + dt.timedelta(hours=2)
    assert request.escalation_due_at == received + dt.timedelta(hours=29)


def test_recompute_deadlines_equals_the_stored_ones(business_hours):
    product = ProductFactory()
    engineer = CertificationFactory(
        user=user("xuhui_engineer"), category=product.category, issued_at=dt.date(2025, 1, 1)
    ).user
    cs, eng = user("xuhui_cs"), user("xuhui_engineer")
    request = make_request(received_at=at(2025, 9, 30, 17), product=product)
    services.request_wait_customer(actor=cs, request_id=request.pk, reason="客户外出", at=at(2025, 9, 30, 17, 20))
    services.request_resume(actor=cs, request_id=request.pk, at=at(2025, 10, 9, 9, 40))
    services.request_contact(actor=cs, request_id=request.pk, at=at(2025, 10, 9, 9, 50))
    services.request_dispatch(actor=cs, request_id=request.pk, mode="remote", engineer=engineer, at=at(2025, 10, 9, 10))
    services.request_start(actor=eng, request_id=request.pk, at=at(2025, 10, 9, 11))
    services.request_wait_customer(actor=eng, request_id=request.pk, reason="等配件", at=at(2025, 10, 9, 12, 30))
    services.request_resume(actor=eng, request_id=request.pk, at=at(2025, 10, 10, 10))
    services.request_resolve(actor=eng, request_id=request.pk, at=at(2025, 10, 10, 15))
    services.request_reject(actor=cs, request_id=request.pk, reason="仍然不制冷", at=at(2025, 10, 11, 10))
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS

    recomputed = recompute_deadlines(request)
    assert recomputed.first_contact_due_at == request.first_contact_due_at
    assert recomputed.escalation_due_at == request.escalation_due_at
    assert recomputed.paused_business_seconds == request.paused_business_seconds
    # 0.67 h + 0.67 h + (1.5 h + 0.5 h lunch excluded …): the business spans, not the wall clock.
    assert request.paused_business_seconds < 24 * 3600


def test_rejection_extends_escalation_by_the_time_awaiting_acceptance(demo):
    from .factories import dispatched_request

    received = at(2026, 11, 10, 9)
    request = dispatched_request(received_at=received)
    eng = request.assignee
    services.request_start(actor=eng, request_id=request.pk, at=received + dt.timedelta(hours=2))
    request.refresh_from_db()
    due_before = request.escalation_due_at
    request.dispatch_mode = "remote"
    request.save(update_fields=["dispatch_mode"])
    services.request_resolve(actor=eng, request_id=request.pk, at=received + dt.timedelta(hours=3))
    services.request_reject(
        actor=user("xuhui_cs"), request_id=request.pk, reason="没修好", at=received + dt.timedelta(hours=8)
    )
    request.refresh_from_db()
    assert request.escalation_due_at == due_before + dt.timedelta(hours=5)
    assert recompute_deadlines(request).escalation_due_at == request.escalation_due_at
