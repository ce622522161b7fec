"""The demo loader of the complaints app: every status at all three levels, payouts within the limits, an
approval by the region, recoveries open and settled, improvement actions done and open; idempotent."""

from decimal import Decimal

from django.db.models import Sum

from salesservice.catalog.demo import load_demo as load_catalog
from salesservice.customers.demo import load_demo as load_customers
from salesservice.network.demo import load_demo as load_network

from ..choices import ComplaintStatus, EntryKind, RecoveryStatus
from ..demo import load_demo
from ..models import CompensationEntry, CompensationFund, CompensationRequest, Complaint, ImprovementAction, Recovery


def test_demo_covers_the_loop_and_loads_twice_without_changes(demo):
    load_catalog()
    load_customers()
    load_network()
    load_demo()
    count = Complaint.objects.count()
    load_demo()
    assert Complaint.objects.count() == count
    assert set(Complaint.objects.values_list("status", flat=True)) == set(ComplaintStatus.values)
    open_levels = set(
        Complaint.objects.exclude(status__in=["closed", "cancelled", "withdrawn"]).values_list("level", flat=True)
    )
    assert open_levels == {0, 1, 2}
    assert Complaint.objects.filter(is_major=True).exists()
    fund = CompensationFund.objects.get()
    top_ups = CompensationEntry.objects.filter(kind=EntryKind.TOP_UP).aggregate(s=Sum("amount"))["s"]
    assert top_ups == Decimal("50000")
    assert sum(e.signed_amount for e in CompensationEntry.objects.all()) == fund.balance
    assert CompensationRequest.objects.filter(status="approved", decided_by__username="east_manager").exists()
    assert CompensationRequest.objects.filter(status="pending").exists()
    assert set(Recovery.objects.values_list("status", flat=True)) >= {RecoveryStatus.OPEN, RecoveryStatus.SETTLED}
    assert ImprovementAction.objects.filter(done_at__isnull=True).exists()
    assert ImprovementAction.objects.filter(done_at__isnull=False).exists()
