"""Compliance evidence of delivery (issue 16 §4): DEL-6 — nothing released before every required activity was done,
except under a concession the customer approved that is recorded as lawful and recallable; DEL-3 — acceptance
signed by the customer; DEL-4 — training recorded where required; DEL-1 — pick list, packing fit for transport,
carrier; DEL-2 — incidents told to the customer in time with a remedy, and reminded when not; DEL-7 — every
shipment has its delivery record, protection to the destination carried and checked where the contract asks."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import SHORTFALL_ROWS, Evidence, Figure, Period, evidence, none_violating, rate
from salesservice.core.policy import policy_value

from .choices import CheckItem, CheckResult, DeliveryStatus, IncidentKind
from .models import AcceptanceCheck, Delivery, DeliveryIncident, DeliveryLine, TrainingRecord


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


def _shipped(period: Period):
    return Delivery.objects.in_unit(period.unit).filter(**period.during("shipped_at"))


def _shipped_url(period: Period) -> str:
    return reverse("delivery:deliveries") + f"?shipped_after={period.start}&shipped_before={period.end}"


def _delivery_links(queryset, order_by="shipped_at"):
    rows = queryset.order_by(order_by, "id").values("pk", "number")[:SHORTFALL_ROWS]
    return [(row["number"], reverse("delivery:delivery-detail", args=[row["pk"]])) for row in rows]


@evidence("DEL-1")
def picked_and_packed_for_transport(period: Period) -> Evidence:
    """拣货与适合运输的包装"""
    shipped = _shipped(period)
    incomplete = (
        Q(packing="")
        | Q(package_count__lt=1)
        | Q(carrier="")
        | Q(tracking_no="")
        | ~Exists(DeliveryLine.objects.filter(delivery=OuterRef("pk")))
    )
    bad = shipped.filter(incomplete)
    total = shipped.count()
    count = bad.count() if total else 0
    return rate(
        "发货有拣货明细（批次、货位、数量）、适合运输的包装与件数、承运方与运单号",
        good=total - count,
        total=total,
        noun="单",
        good_label="记录完整",
        shortfalls=_delivery_links(bad) if count else [],
        records_url=_shipped_url(period),
    )


def _incidents(period: Period):
    deliveries = Delivery.objects.in_unit(period.unit).values("pk")
    return DeliveryIncident.objects.filter(delivery__in=deliveries, **period.during("reported_at"))


def _inform_hours(period: Period) -> float:
    _start, until = period.bounds
    return float(policy_value("delivery.incident_inform_hours", min(until, timezone.now())))


def _incident_links(queryset):
    rows = queryset.order_by("reported_at", "id").values("delivery_id", "delivery__number", "kind")[:SHORTFALL_ROWS]
    return [
        (
            f"{row['delivery__number']} {IncidentKind(row['kind']).label}",
            reverse("delivery:delivery-detail", args=[row["delivery_id"]]),
        )
        for row in rows
    ]


@evidence("DEL-2")
def incidents_told_to_the_customer(period: Period) -> Evidence:
    """交付延误、损坏及时告知客户并提出补救措施"""
    aspect = "交付异常在时限内告知客户（时间、方式、补救措施）"
    incidents = _incidents(period)
    if not incidents.exists():
        return Evidence.none(aspect)
    hours = _inform_hours(period)
    limit = dt.timedelta(hours=hours)
    # not yet due: not told and the time to tell has not run out
    due = incidents.filter(Q(customer_informed_at__isnull=False) | Q(reported_at__lt=timezone.now() - limit))
    good = Q(customer_informed_at__lte=F("reported_at") + limit) & ~Q(informed_how="") & ~Q(remedy="")
    counts = due.aggregate(total=Count("pk"), good=Count("pk", filter=good))
    late = counts["total"] - counts["good"]
    return rate(
        aspect,
        good=counts["good"],
        total=counts["total"],
        noun="起",
        good_label="按时告知",
        shortfalls=_incident_links(due.exclude(good)) if late else [],
        records_url=reverse("delivery:deliveries"),
        extra=(Figure("告知时限", Decimal(str(hours)), "小时"),),
        note="未到告知时限且尚未告知的异常不计入",
    )


# the reminder job runs every 15 minutes: an incident is expected to be reminded once this much after its time ran out
REMINDER_GRACE = dt.timedelta(hours=1)


@evidence("DEL-2")
def uninformed_incidents_reminded(period: Period) -> Evidence:
    """超时未告知客户的交付异常已提醒"""
    aspect = "超过告知时限仍未告知客户的交付异常已提醒登记人、销售与店长"
    incidents = _incidents(period)
    if not incidents.exists():
        return Evidence.none(aspect)
    limit = dt.timedelta(hours=_inform_hours(period)) + REMINDER_GRACE
    due = incidents.filter(
        Q(customer_informed_at__isnull=True, reported_at__lt=timezone.now() - limit)
        | Q(customer_informed_at__gt=F("reported_at") + limit)
    )
    counts = due.aggregate(total=Count("pk"), good=Count("pk", filter=Q(reminded_at__isnull=False)))
    missed = counts["total"] - counts["good"]
    if not counts["total"]:
        return Evidence.none(aspect, "本期没有超时未告知的交付异常，无需提醒")
    return rate(
        aspect,
        good=counts["good"],
        total=counts["total"],
        noun="起",
        good_label="已提醒",
        shortfalls=_incident_links(due.filter(reminded_at__isnull=True)) if missed else [],
        records_url=reverse("delivery:deliveries"),
    )


@evidence("DEL-7")
def every_shipment_has_a_delivery_record(period: Period) -> Evidence:
    """每次交付有交付记录"""
    from salesservice.sales.models import SalesOrder

    shipped = SalesOrder.objects.in_unit(period.unit).filter(**period.during("shipped_at"))
    recorded = Exists(Delivery.objects.filter(order=OuterRef("pk")))
    counts = shipped.aggregate(total=Count("pk"), good=Count("pk", filter=Q(recorded)))
    missing = counts["total"] - counts["good"]
    rows = (
        shipped.filter(~recorded).order_by("shipped_at", "id").values("pk", "number")[:SHORTFALL_ROWS]
        if missing
        else []
    )
    return rate(
        "发货的订单均有交付单记录",
        good=counts["good"],
        total=counts["total"],
        noun="单",
        good_label="有交付单",
        shortfalls=[(row["number"], reverse("sales:order-detail", args=[row["pk"]])) for row in rows],
        records_url=_shipped_url(period),
    )


@evidence("DEL-7")
def protection_to_destination(period: Period) -> Evidence:
    """合同要求时防护延伸至目的地"""
    required = _shipped(period).filter(order__contract__protect_to_destination=True)
    appearance_checked = Exists(
        AcceptanceCheck.objects.filter(
            delivery=OuterRef("pk"), item=CheckItem.APPEARANCE, result__in=(CheckResult.PASS, CheckResult.FAIL)
        )
    )
    bad = required.filter(Q(protect_to_destination=False) | (Q(accepted_at__isnull=False) & ~appearance_checked))
    checked = required.count()
    count = bad.count() if checked else 0
    damaged = (
        DeliveryIncident.objects.filter(delivery__in=required.values("pk"), kind=IncidentKind.DAMAGE).count()
        if checked
        else 0
    )
    return none_violating(
        "合同要求防护至目的地的交付：防护义务载入交付单，到达验收时核查外观",
        checked=checked,
        violations=_delivery_links(bad) if count else [],
        violation_count=count,
        noun="单",
        records_url=_shipped_url(period),
        extra=(Figure("运输损坏异常", damaged, "起"),),
    )
