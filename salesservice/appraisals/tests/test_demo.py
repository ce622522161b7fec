"""KPI-3…KPI-5 demo: KPI definitions, 12 finalised monthly cycles and the current open one; a rerun adds nothing."""

from django.utils import timezone

from salesservice.appraisals.choices import AppraisalStatus, CycleStatus
from salesservice.appraisals.demo import load_demo
from salesservice.appraisals.models import Appraisal, AppraisalCycle, KpiDefinition


def test_demo_history_and_open_cycle_idempotent():
    load_demo()
    counts = (KpiDefinition.objects.count(), AppraisalCycle.objects.count(), Appraisal.objects.count())
    assert counts[1] == 13
    assert AppraisalCycle.objects.filter(status=CycleStatus.CLOSED).count() == 12
    current = AppraisalCycle.objects.get(status=CycleStatus.OPEN)
    assert current.period_end < timezone.localdate() <= current.deadline or current.period_end < timezone.localdate()
    assert not Appraisal.objects.exclude(cycle=current).exclude(status=AppraisalStatus.FINALISED).exists()
    assert Appraisal.objects.filter(cycle=current, status=AppraisalStatus.PENDING_SELF).exists()
    load_demo()
    assert (KpiDefinition.objects.count(), AppraisalCycle.objects.count(), Appraisal.objects.count()) == counts
