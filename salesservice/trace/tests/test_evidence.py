"""Compliance evidence read from the sales records and the ledger (issue 16 §4): PRD-1 nothing sold unsellable,
BUY-1 buyers qualified, TRC-2 trace path and recall contact in time, TRC-4 records kept — met, short with the
offending record listed, no records → no_data (never met)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import RestrictionFactory
from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.core.personal_data import REDACTED
from salesservice.customers.choices import CustomerType, QualificationKind
from salesservice.customers.tests.factories import QualificationFactory
from salesservice.dashboards.compliance import compliance_report
from salesservice.sales.models import SalesRecord

from .. import evidence, services
from ..models import RecallTask
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _period(unit=None):
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today, unit)


def _labels(item):
    return [link.label for link in item.shortfalls]


def test_prd1_nothing_sold_on_a_day_its_product_was_flagged():
    """PRD-1: a sale of a sellable device → met; a sale on a day a QA flag was in force → short, the order listed;
    a flag set after the sale does not count; no sale → no_data."""
    assert evidence.nothing_sold_unsellable(_period()).status == NO_DATA
    fine = f.device()
    f.sell(f.stocked_lot(fine, lot_number="OK"), f.customer(), 5, days_ago=10)
    RestrictionFactory(
        product=fine, set_by=f.user("qa_inspector"), set_at=timezone.now() - dt.timedelta(days=2)
    )  # after the sale
    assert evidence.nothing_sold_unsellable(_period()).status == MET

    flagged = f.device()
    RestrictionFactory(product=flagged, set_by=f.user("qa_inspector"), set_at=timezone.now() - dt.timedelta(days=20))
    record = f.sell(f.stocked_lot(flagged, lot_number="BAD"), f.customer(), 3, days_ago=10)
    item = evidence.nothing_sold_unsellable(_period())
    assert item.status == SHORT and item.shortfall_count == 1
    assert _labels(item) == [f"{record.order.number} {flagged.name}"]
    assert item.shortfalls[0].url == f"/sales/orders/{record.order_id}/"
    assert compliance_report(_period(), only={"PRD-1"}).results[0].status == SHORT


def test_buy1_devices_sold_only_to_buyers_whose_qualification_covers_the_class():
    """BUY-1: a hospital with a valid licence covering class II → met; one whose licence lists only class III (the
    text contains "II" but not the class) → short and listed; an individual needs none."""
    assert evidence.devices_sold_to_qualified_buyers(_period()).status == NO_DATA
    lot = f.stocked_lot(f.device(), lot_number="Q1")
    hospital = f.customer(customer_type=CustomerType.HOSPITAL)
    QualificationFactory(customer=hospital, scope_classes="I, II")
    f.sell(lot, hospital, 2)
    f.sell(lot, f.customer(), 1)  # an individual
    assert evidence.devices_sold_to_qualified_buyers(_period()).status == MET

    clinic = f.customer(customer_type=CustomerType.HOSPITAL)
    QualificationFactory(customer=clinic, kind=QualificationKind.DEVICE_OPERATING_LICENCE, scope_classes="III")
    record = f.sell(lot, clinic, 1)
    item = evidence.devices_sold_to_qualified_buyers(_period())
    assert item.status == SHORT and _labels(item) == [f"{record.order.number} {record.product_name}"]

    expired = f.customer(customer_type=CustomerType.HOSPITAL)
    QualificationFactory(customer=expired, valid_until=timezone.localdate() - dt.timedelta(days=20))
    f.sell(lot, expired, 1, days_ago=10)
    assert evidence.devices_sold_to_qualified_buyers(_period()).shortfall_count == 2


def test_trc2_trace_path_complete_and_recall_tasks_contacted_in_time():
    """TRC-2: records whose lot names its supplier → met; a lot with no supplier → short; recall tasks contacted
    before their deadline → met, one contacted after → short and listed; no recall → no_data."""
    assert evidence.trace_path_complete(_period()).status == NO_DATA
    assert evidence.recall_tasks_contacted_in_time(_period()).status == NO_DATA
    lot, buyers = f.lot_to_three_customers((10, 20, 5))
    path = evidence.trace_path_complete(_period())
    assert path.status == SHORT and path.shortfall_count == 3  # the lot was stocked without a supplier
    lot.supplier_id = 42
    lot.save(update_fields=["supplier_id"])
    assert evidence.trace_path_complete(_period()).status == MET

    qa = f.user("qa_inspector")
    campaign = services.recall_create(actor=qa, title="灭菌不合格召回", reason="灭菌验证记录缺失", lots=[lot])
    services.recall_launch(actor=qa, recall_id=campaign.pk)
    tasks = list(RecallTask.objects.filter(campaign=campaign).order_by("id"))
    assert evidence.recall_tasks_contacted_in_time(_period()).status == NO_DATA  # none due, none contacted yet
    for task in tasks:
        services.task_contact(actor=qa, task_id=task.pk, note="电话通知，约定上门收回")
    assert evidence.recall_tasks_contacted_in_time(_period()).status == MET
    late = tasks[0]
    RecallTask.objects.filter(pk=late.pk).update(contacted_at=late.due_at + dt.timedelta(hours=5))
    item = evidence.recall_tasks_contacted_in_time(_period())
    assert item.status == SHORT and item.shortfall_count == 1
    assert item.shortfalls[0].url == f"/trace/tasks/{late.pk}/"
    result = compliance_report(_period(), only={"TRC-2"}).results[0]
    assert result.status == SHORT and len(result.evidence) == 2


def test_trc4_no_retained_record_anonymised_or_purged(users):
    """TRC-4: a retained sales record untouched and its ship move matched → both met; its contact anonymised while
    retained → short; the record deleted while the ledger still shows the shipment → short; nothing → no_data."""
    from salesservice.inventory import services as stock
    from salesservice.inventory.choices import MoveKind

    assert evidence.retained_records_not_anonymised(_period()).status == NO_DATA
    assert evidence.retained_records_not_purged(_period()).status == NO_DATA
    lot = f.stocked_lot(f.device(), lot_number="KEEP")
    record = f.sell(lot, f.customer(), 4)
    SalesRecord.objects.filter(pk=record.pk).update(retain_until=timezone.localdate() + dt.timedelta(days=900))
    stock._move(
        actor=users["warehouse_clerk"],
        lot=lot,
        warehouse_id=f.central_warehouse().pk,
        kind=MoveKind.SHIP,
        quantity=4,
        reference=record.order,
        at=timezone.now() - dt.timedelta(days=10),
        from_location=f.storage_location(f.central_warehouse(), "A-01"),
    )
    assert evidence.retained_records_not_anonymised(_period()).status == MET
    assert evidence.retained_records_not_purged(_period()).status == MET

    SalesRecord.objects.filter(pk=record.pk).update(contact=REDACTED, phone="")
    item = evidence.retained_records_not_anonymised(_period())
    assert item.status == SHORT and _labels(item) == [f"{record.order.number} {record.product_name}"]

    SalesRecord.objects.filter(pk=record.pk).delete()
    purged = evidence.retained_records_not_purged(_period())
    assert purged.status == SHORT and purged.shortfall_count == 1
    assert purged.shortfalls[0].label.startswith(record.order.number)
    assert compliance_report(_period(), only={"TRC-4"}).results[0].status == SHORT


def test_a_record_erased_after_its_retention_is_not_a_violation():
    """TRC-4: a record whose retention ended before the period is not checked; one erased after it ended is fine."""
    record = f.sell(f.stocked_lot(f.device(), lot_number="OLD"), f.customer(), 1)
    SalesRecord.objects.filter(pk=record.pk).update(
        retain_until=timezone.localdate() - dt.timedelta(days=5), contact=REDACTED
    )
    assert evidence.retained_records_not_anonymised(_period()).status == MET


def test_a_store_counts_only_its_own_sales(demo):
    """The sales records belong to the selling store: 广州天河店 finds none of 上海徐汇店's."""
    f.sell(f.stocked_lot(f.device(), lot_number="S1"), f.customer("sh-xuhui"), 1)
    assert evidence.nothing_sold_unsellable(_period(demo["sh-xuhui"])).status == MET
    assert evidence.nothing_sold_unsellable(_period(demo["gz-tianhe"])).status == NO_DATA
