"""Compliance evidence of sales (issue 16 §4): TRC-1 — every medical-device sales record carries every field 004
§4.4.1 lists."""

from django.db.models import Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Period, evidence, none_violating, rate

from .models import SalesRecord

# the record's fields that must not be empty for a medical device (TRC-1; `sales.records` builds them)
REQUIRED_TEXT = (
    "product_name",
    "specification",
    "registration_no",
    "manufacturer",
    "manufacturer_licence_no",
    "buyer_name",
    "buyer_licence_no",
    "contact",
    "phone",
    "address",
)


@evidence("TRC-1")
def device_records_complete(period: Period) -> Evidence:
    """医疗器械销售记录字段完整"""
    records = SalesRecord.objects.in_unit(period.unit).filter(is_medical_device=True, **period.dates("sale_date"))
    incomplete = Q(lot_number="", serial_number="")
    for field in REQUIRED_TEXT:
        incomplete |= Q(**{field: ""})
    missing = records.filter(incomplete)
    rows = missing.order_by("sale_date", "id").values("order_id", "order__number", "product_name")[:20]
    return rate(
        "医疗器械销售记录字段完整",
        good=records.count() - missing.count(),
        total=records.count(),
        noun="条",
        good_label="字段完整",
        shortfalls=[
            (f"{row['order__number']} {row['product_name']}", reverse("sales:order-detail", args=[row["order_id"]]))
            for row in rows
        ],
        records_url=reverse("sales:records") + f"?medical=true&sold_after={period.start}&sold_before={period.end}",
    )


@evidence("SAL-1")
def contracts_reviewed_before_signing(period: Period) -> Evidence:
    """签订前合同评审"""
    from django.db.models import Exists, OuterRef

    from .choices import ReviewResult
    from .models import Contract, ContractReview

    signed = Contract.objects.in_unit(period.unit).filter(**period.dates("signed_on"))
    unpassed = ContractReview.objects.filter(contract=OuterRef("pk"), revision=OuterRef("revision")).exclude(
        result=ReviewResult.PASS
    )
    reviewed = ContractReview.objects.filter(contract=OuterRef("pk"), revision=OuterRef("revision"))
    bad = signed.annotate(unpassed=Exists(unpassed), reviewed=Exists(reviewed)).filter(
        Q(unpassed=True) | Q(reviewed=False)
    )
    rows = bad.order_by("signed_on").values("pk", "number")[:20]
    return none_violating(
        "签订的合同其当前版本已通过各部门评审",
        checked=signed.count(),
        violations=[(row["number"], reverse("sales:contract-detail", args=[row["pk"]])) for row in rows],
        violation_count=bad.count(),
        noun="份",
        records_url=reverse("sales:contracts"),
    )


@evidence("PRE-1")
def inquiries_answered_in_time(period: Period) -> Evidence:
    """客户咨询按时答复"""
    from django.db.models import F
    from django.utils import timezone

    from .models import Inquiry

    inquiries = Inquiry.objects.in_unit(period.unit).filter(reply_due_at__isnull=False, **period.during("received_at"))
    due = inquiries.filter(Q(replied_at__isnull=False) | Q(reply_due_at__lt=timezone.now()))
    late = due.filter(Q(replied_at__gt=F("reply_due_at")) | Q(replied_at__isnull=True))
    rows = late.order_by("received_at").values("pk", "number")[:20]
    total = due.count()
    return rate(
        "客户咨询在答复时限内答复",
        good=total - late.count(),
        total=total,
        noun="条",
        good_label="按时答复",
        shortfalls=[(row["number"], reverse("sales:inquiry-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("sales:inquiries"),
        note="未到期且尚未答复的咨询不计入",
    )


@evidence("BUY-2")
def orders_by_authorised_reps(period: Period) -> Evidence:
    """销售人员持有效授权书"""
    from .models import SalesOrder

    orders = SalesOrder.objects.in_unit(period.unit).filter(sales_rep__isnull=False, **period.during("created_at"))
    flagged = orders.exclude(rep_flag="")
    rows = flagged.order_by("created_at").values("pk", "number")[:20]
    return rate(
        "销售代表持有效授权书接单",
        good=orders.count() - flagged.count(),
        total=orders.count(),
        noun="单",
        good_label="授权有效",
        shortfalls=[(row["number"], reverse("sales:order-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("sales:orders"),
    )


@evidence("SAL-5")
def orders_reviewed_before_confirming(period: Period) -> Evidence:
    """订单评审后确认"""
    from django.db.models import F

    from .models import SalesOrder

    confirmed = SalesOrder.objects.in_unit(period.unit).filter(**period.during("confirmed_at"))
    bad = confirmed.filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__gt=F("confirmed_at")))
    rows = bad.order_by("confirmed_at").values("pk", "number")[:20]
    return none_violating(
        "确认的订单先经评审",
        checked=confirmed.count(),
        violations=[(row["number"], reverse("sales:order-detail", args=[row["pk"]])) for row in rows],
        violation_count=bad.count(),
        noun="单",
        records_url=reverse("sales:orders"),
    )


@evidence("SAL-7")
def order_steps_on_schedule(period: Period) -> Evidence:
    """订单进度节点按计划完成"""
    from django.db.models import F
    from django.utils import timezone

    from .models import OrderStep, SalesOrder

    orders = SalesOrder.objects.in_unit(period.unit).values("pk")
    steps = OrderStep.objects.filter(order__in=orders, **period.during("due_at")).filter(
        Q(done_at__isnull=False) | Q(due_at__lt=timezone.now())
    )
    late = steps.filter(Q(done_at__gt=F("due_at")) | Q(done_at__isnull=True))
    rows = late.order_by("due_at").values("order_id", "order__number", "step")[:20]
    return rate(
        "订单进度节点按计划完成",
        good=steps.count() - late.count(),
        total=steps.count(),
        target=100,
        noun="个",
        good_label="按时完成",
        shortfalls=[
            (f"{row['order__number']} {row['step']}", reverse("sales:order-detail", args=[row["order_id"]]))
            for row in rows
        ],
        records_url=reverse("sales:orders"),
        note="未到计划完成时间的节点不计入",
    )


@evidence("DEL-5")
def receivables_collected_by_due_date(period: Period) -> Evidence:
    """按合同约定收款"""
    from django.db.models import F
    from django.utils import timezone

    from .models import Receivable

    due = Receivable.objects.in_unit(period.unit).filter(**period.dates("due_date"), due_date__lt=timezone.localdate())
    late = due.filter(Q(paid_at__isnull=True) | Q(paid_at__date__gt=F("due_date")))
    rows = late.order_by("due_date").values("pk", "order_id", "contract__number", "kind")[:20]
    return rate(
        "到期应收款按期收讫",
        good=due.count() - late.count(),
        total=due.count(),
        noun="笔",
        good_label="按期收讫",
        shortfalls=[
            (
                f"{row['contract__number'] or ''} {row['kind']}".strip(),
                reverse("sales:order-detail", args=[row["order_id"]])
                if row["order_id"]
                else reverse("sales:contracts"),
            )
            for row in rows
        ],
        records_url=reverse("sales:orders"),
    )


@evidence("SAL-3")
def tenders_reported_to_the_general_manager(period: Period) -> Evidence:
    """投标报总经理"""
    from .models import Tender

    tenders = Tender.objects.in_unit(period.unit).filter(**period.during("created_at"))
    unreported = tenders.filter(reported_at__isnull=True)
    rows = unreported.order_by("created_at").values("pk", "number")[:20]
    return rate(
        "登记的招标已报总经理",
        good=tenders.count() - unreported.count(),
        total=tenders.count(),
        noun="项",
        good_label="已报告",
        shortfalls=[(row["number"], reverse("sales:tender-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("sales:tenders"),
    )
