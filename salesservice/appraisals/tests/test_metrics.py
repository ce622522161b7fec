"""KPI-1, KPI-2, KPI-6: the metric registry computes each figure, set-based, from the records (numbers asserted
from records created here), and the query count does not grow with the number of users."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.appraisals import metrics
from salesservice.core.models import User

START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, tzinfo=timezone.get_current_timezone())


def u(name: str) -> User:
    return User.objects.get(username=name)


def _service_request(**fields):
    from salesservice.service.models import ServiceRequest
    from salesservice.service.tests.factories import make_request

    request = make_request()
    ServiceRequest.objects.filter(pk=request.pk).update(**fields)
    return request


def test_sla_first_contact_counts_requests_received_by_the_rep_contacted_in_time():
    """KPI-2: 3 requests received by xuhui_cs in October, 2 contacted by the deadline → 66.67 %."""
    cs = u("xuhui_cs")
    _service_request(created_by=cs, received_at=at(3), first_contact_due_at=at(3, 12), first_contacted_at=at(3, 11))
    _service_request(created_by=cs, received_at=at(4), first_contact_due_at=at(4, 12), first_contacted_at=at(4, 12))
    _service_request(created_by=cs, received_at=at(5), first_contact_due_at=at(5, 12), first_contacted_at=at(5, 15))
    _service_request(created_by=cs, received_at=at(5), first_contact_due_at=at(5, 12), status="cancelled")
    _service_request(created_by=cs, received_at=at(5) - dt.timedelta(days=30), first_contact_due_at=at(1))
    figures = metrics.sla_first_contact([cs.pk, u("tianhe_cs").pk], START, END)
    assert figures[cs.pk] == metrics.Figure(Decimal("66.67"), Decimal(2), Decimal(3))
    assert figures[u("tianhe_cs").pk].value is None


def test_csat_is_the_mean_satisfaction_of_closed_requests_as_engineer_or_receiving_rep():
    """KPI-1: engineer 5 and 3 → 4.00; the rep received both and one more rated 4 → (5+3+4)/3 = 4.00."""
    cs, engineer = u("xuhui_cs"), u("xuhui_engineer")
    _service_request(created_by=cs, assignee=engineer, closed_at=at(10), satisfaction=5)
    _service_request(created_by=cs, assignee=engineer, closed_at=at(11), satisfaction=3)
    _service_request(created_by=cs, assignee=None, closed_at=at(12), satisfaction=4)
    _service_request(created_by=cs, assignee=engineer, closed_at=at(12) + dt.timedelta(days=30), satisfaction=1)
    figures = metrics.csat([cs.pk, engineer.pk], START, END)
    assert figures[engineer.pk] == metrics.Figure(Decimal("4.00"), Decimal(8), Decimal(2))
    assert figures[cs.pk] == metrics.Figure(Decimal("4.00"), Decimal(12), Decimal(3))


def test_complaint_satisfaction_is_the_mean_of_the_handlers_closed_complaints():
    """KPI-1: two complaints handled by xuhui_cs closed in October rated 5 and 2 → 3.50."""
    from salesservice.complaints.models import Complaint
    from salesservice.complaints.tests.factories import make_complaint

    cs = u("xuhui_cs")
    for satisfaction, closed in ((5, at(8)), (2, at(9)), (1, None)):
        complaint = make_complaint()
        Complaint.objects.filter(pk=complaint.pk).update(handler=cs, closed_at=closed, satisfaction=satisfaction)
    figure = metrics.complaint_satisfaction([cs.pk], START, END)[cs.pk]
    assert figure == metrics.Figure(Decimal("3.50"), Decimal(7), Decimal(2))


def test_return_success_is_the_share_of_the_handlers_closed_returns_that_were_resolved():
    """KPI-1: 2 returns closed in October, 1 resolved (refunded) → 50 %."""
    from salesservice.returns.models import ReturnRequest
    from salesservice.returns.tests.factories import make_return

    engineer = u("xuhui_engineer")
    first, second = make_return(), make_return()
    ReturnRequest.objects.filter(pk=first.pk).update(handler=engineer, closed_at=at(6), resolved_at=at(5))
    ReturnRequest.objects.filter(pk=second.pk).update(handler=engineer, closed_at=at(7))
    assert metrics.return_success([engineer.pk], START, END)[engineer.pk] == metrics.Figure(
        Decimal("50.00"), Decimal(1), Decimal(2)
    )


def test_order_on_time_and_sales_vs_plan_for_the_rep():
    """KPI-1 / KPI-6: of 2 orders requested in October one was delivered in time → 50 %; sold 3 000 against the
    unit's October target 10 000 shared by its one rep → 30 %."""
    from salesservice.core.models import Membership
    from salesservice.sales.models import SalesOrder
    from salesservice.sales.models.presales import SalesPlan, SalesPlanMonth
    from salesservice.sales.tests.factories import appliance, hospital, order

    rep = u("sales_rep")
    customer, product = hospital(), appliance()
    first = order(customer, [(product, 1, Decimal("1000"))])
    second = order(customer, [(product, 1, Decimal("2000"))])
    SalesOrder.objects.filter(pk=first.pk).update(
        sales_rep=rep,
        status="delivered",
        order_date=dt.date(2026, 10, 2),
        requested_date=dt.date(2026, 10, 10),
        delivered_at=at(9),
        total=Decimal("1000"),
    )
    SalesOrder.objects.filter(pk=second.pk).update(
        sales_rep=rep,
        status="shipped",
        order_date=dt.date(2026, 10, 3),
        requested_date=dt.date(2026, 10, 12),
        total=Decimal("2000"),
    )
    unit = Membership.objects.get(user=rep, role__name="sales_rep").org_unit
    plan = SalesPlan.objects.create(org_unit=unit, year=2026, target=Decimal("120000"), created_by=rep)
    SalesPlanMonth.objects.create(plan=plan, month=10, target=Decimal("10000"))
    assert metrics.order_on_time([rep.pk], START, END)[rep.pk] == metrics.Figure(
        Decimal("50.00"), Decimal(1), Decimal(2)
    )
    assert metrics.sales_vs_plan([rep.pk], START, END)[rep.pk] == metrics.Figure(
        Decimal("30.00"), Decimal(3000), Decimal(10000)
    )


def test_training_completion_comes_from_people_selectors(monkeypatch):
    """KPI-2: (required 4, completed 3) → 75 %; nothing required → no data."""
    from salesservice.people import selectors

    monkeypatch.setattr(selectors, "training_completion", lambda ids, s, e: {ids[0]: (4, 3), ids[1]: (0, 0)})
    a, b = u("xuhui_cs").pk, u("xuhui_engineer").pk
    figures = metrics.training_completion([a, b], START, END)
    assert figures[a].value == Decimal("75.00")
    assert figures[b].value is None


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (90, 100, True, "90.0"),
        (120, 100, True, "100.0"),
        (None, 100, True, None),
        (2, 4, False, "100.0"),
        (5, 4, False, "75.0"),
    ],
)
def test_line_score_is_0_to_100_against_the_target(value, target, higher, expected):
    """KPI-1: the score of a KPI line."""
    result = metrics.score(value, Decimal(target), higher)
    assert result == (None if expected is None else Decimal(expected))


def test_every_metric_runs_a_fixed_number_of_queries_whatever_the_number_of_users(django_assert_max_num_queries):
    """KPI-1: set-based — all seven metrics for every demo user in ≤ 16 queries (no per-user query)."""
    ids = list(User.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(16):
        figures = metrics.compute(metrics.METRICS, ids, START, END)
    assert set(figures) == set(metrics.METRICS)
    assert all(set(by_user) == set(ids) for by_user in figures.values())
