"""Compliance evidence of delivery (issue 16 §4): DEL-6 — nothing released before every required activity was done,
except under a concession the customer approved that is recorded as lawful and recallable; DEL-3 — acceptance
signed by the customer."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, evidence, none_violating, rate

from .choices import CheckItem, CheckResult, DeliveryStatus
from .models import AcceptanceCheck, Delivery, TrainingRecord


def _links(queryset):
    rows = queryset.order_by("released_at").values("pk", "number")[:20]
    return [(row["number"], reverse("delivery:delivery-detail", args=[row["pk"]])) for row in rows]


def _released(period: Period):
    return Delivery.objects.in_unit(period.unit).filter(status=DeliveryStatus.RELEASED, **period.during("released_at"))


@evidence("DEL-6")
def released_only_when_complete(period: Period) -> Evidence:
    """放行前必需活动完成，或客户批准合法可追回的让步"""
    released = _released(period)
    installed = Exists(
        AcceptanceCheck.objects.filter(delivery=OuterRef("pk"), item=CheckItem.INSTALLATION, result=CheckResult.PASS)
    )
    trained = Exists(TrainingRecord.objects.filter(delivery=OuterRef("pk")))
    incomplete = Q(accepted_at__isnull=True) | Q(signature="") | Q(installation_required=True, installed=False)
    incomplete |= Q(training_required=True, trained=False)
    bad_concession = Q(concession_lawful=False) | Q(concession_recallable=False) | Q(concession_reason="")
    annotated = released.annotate(installed=installed, trained=trained)
    violations = annotated.filter(
        (Q(concession_approved_at__isnull=True) & incomplete)
        | (Q(concession_approved_at__isnull=False) & bad_concession)
    )
    concessions = released.filter(concession_approved_at__isnull=False).count()
    return none_violating(
        "放行前必需活动完成或经客户批准的合规让步",
        checked=released.count(),
        violations=_links(violations),
        violation_count=violations.count(),
        noun="单",
        records_url=reverse("delivery:deliveries") + "?status=released",
        extra=(Figure("让步放行", concessions, "单"),),
    )


@evidence("DEL-3")
def acceptance_signed(period: Period) -> Evidence:
    """验收记录经客户签字"""
    accepted = Delivery.objects.in_unit(period.unit).filter(**period.during("accepted_at"))
    unsigned = accepted.filter(signature="")
    return rate(
        "验收记录经客户签字",
        good=accepted.count() - unsigned.count(),
        total=accepted.count(),
        noun="单",
        good_label="客户已签字",
        shortfalls=_links(unsigned),
        records_url=reverse("delivery:deliveries"),
    )


@evidence("DEL-4")
def customer_training_recorded(period: Period) -> Evidence:
    """需要时的客户培训记录"""
    required = Delivery.objects.in_unit(period.unit).filter(training_required=True, **period.during("accepted_at"))
    without = required.annotate(trained=Exists(TrainingRecord.objects.filter(delivery=OuterRef("pk")))).filter(
        trained=False
    )
    return rate(
        "合同要求培训的交付有培训记录",
        good=required.count() - without.count(),
        total=required.count(),
        noun="单",
        good_label="有培训记录",
        shortfalls=_links(without),
        records_url=reverse("delivery:deliveries"),
    )
