"""RET-2 metrics: success rate = closed with refund/exchange/repair ÷ decided; average handling time
requested → closed; per handler and per store; only what the user may see."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from .. import services
from ..selectors import return_metrics
from .factories import advance, make_return, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _closed_after(hours: int, actor="xuhui_cs", store_code="sh-xuhui"):
    start = timezone.now() - dt.timedelta(hours=hours + 1)
    request = make_return(actor=actor, store_code=store_code, at=start)
    approver = "xuhui_manager" if store_code == "sh-xuhui" else "hq_service_manager"
    services.return_approve(actor=user(approver), return_id=request.pk, at=start)
    services.return_receive(actor=user("warehouse_clerk"), return_id=request.pk, condition="unopened", at=start)
    services.return_inspect(
        actor=user("qa_inspector"), return_id=request.pk, quality_problem=False, findings="好", at=start
    )
    services.return_refund(actor=user(actor), return_id=request.pk, amount="10", at=start)
    return services.return_close(actor=user(actor), return_id=request.pk, at=start + dt.timedelta(hours=hours))


def test_success_rate_and_average_handling_time_per_handler():
    _closed_after(10)
    _closed_after(20)
    advance(make_return(), "rejected")  # decided, not successful
    make_return()  # not decided yet: not in the denominator
    closed_without_remedy = advance(make_return(), "inspected")
    services.return_close(actor=user("xuhui_cs"), return_id=closed_without_remedy.pk, note="检测无故障，原物退回")
    today = timezone.localdate()
    rows, total = return_metrics(user("xuhui_manager"), start=today - dt.timedelta(days=2), end=today)
    assert len(rows) == 1 and rows[0].label == "陈小客"
    row = rows[0]
    assert (row.requested, row.decided, row.successful, row.closed) == (5, 4, 2, 3)
    assert row.success_rate == Decimal("50.0")
    # (10 h + 20 h + ~0 h) / 3 closed
    assert Decimal("9.9") <= row.avg_handling_hours <= Decimal("10.1")
    assert total.requested == 5


def test_metrics_per_store_only_in_scope():
    _closed_after(4)
    _closed_after(8, actor="tianhe_cs", store_code="gz-tianhe")
    today = timezone.localdate()
    rows, total = return_metrics(
        user("hq_service_manager"), start=today - dt.timedelta(days=1), end=today, group_by="store"
    )
    assert {row.label for row in rows} == {"上海徐汇店", "广州天河店"}
    assert all(row.success_rate == Decimal("100.0") for row in rows)
    rows, total = return_metrics(user("xuhui_manager"), start=today - dt.timedelta(days=1), end=today, group_by="store")
    assert [row.label for row in rows] == ["上海徐汇店"] and total.requested == 1


def test_date_range_excludes_requests_outside_it():
    _closed_after(4)
    today = timezone.localdate()
    rows, total = return_metrics(
        user("xuhui_manager"), start=today - dt.timedelta(days=30), end=today - dt.timedelta(days=2)
    )
    assert rows == [] and total.requested == 0 and total.success_rate is None and total.avg_handling_hours is None
