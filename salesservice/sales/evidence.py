"""Compliance evidence of sales (issue 16 §4): TRC-1 — every medical-device sales record carries every field 004
§4.4.1 lists; SAL-1, SAL-2 (approval, signature, deposit; orders only on signed contracts; price approval),
SAL-3, SAL-5, SAL-6 (accurate allocation; processing time), SAL-7, SAL-8 (versioned amendments), PRE-1, BUY-2,
DEL-5. The pre-sales clauses PRE-2, PRE-3 and SAL-4 are in `presales_evidence` (imported here)."""

from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from salesservice.core.evidence import SHORTFALL_ROWS, Evidence, Figure, Period, evidence, none_violating, rate

from . import presales_evidence  # noqa: F401 — registers PRE-2, PRE-3, SAL-4
from .choices import ContractStatus, OrderStatus
from .models import Contract, ContractAmendment, SalesOrder, SalesOrderLine, SalesRecord

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


IN_FORCE = (ContractStatus.SIGNED, ContractStatus.EXECUTING, ContractStatus.COMPLETED)


def _contract_links(queryset, order_by="signed_on"):
    rows = queryset.order_by(order_by, "id").values("pk", "number")[:SHORTFALL_ROWS]
    return [(row["number"], reverse("sales:contract-detail", args=[row["pk"]])) for row in rows]


def _order_links(queryset, order_by="created_at"):
    rows = queryset.order_by(order_by, "id").values("pk", "number")[:SHORTFALL_ROWS]
    return [(row["number"], reverse("sales:order-detail", args=[row["pk"]])) for row in rows]


@evidence("SAL-2")
def contracts_approved_signed_with_deposit(period: Period) -> Evidence:
    """合同审批、签订并按约定收取定金"""
    signed = Contract.objects.in_unit(period.unit).filter(status__in=IN_FORCE, **period.dates("signed_on"))
    bad = signed.filter(
        Q(approved_at__isnull=True)
        | Q(approved_by__isnull=True)
        | Q(approved_by=F("created_by"))
        | Q(approved_at__date__gt=F("signed_on"))
        | Q(customer_signatory="")
        | Q(signed_by__isnull=True)
        | Q(deposit_received__lt=F("deposit_required"))
    )
    checked = signed.count()
    count = bad.count() if checked else 0
    return none_violating(
        "生效合同均经批准（非经办人、签订前）、双方签约人齐全、约定定金已收齐",
        checked=checked,
        violations=_contract_links(bad) if count else [],
        violation_count=count,
        noun="份",
        records_url=reverse("sales:contracts") + f"?signed_after={period.start}&signed_before={period.end}",
    )


@evidence("SAL-2")
def orders_only_on_signed_contracts(period: Period) -> Evidence:
    """未签订的合同不能下单"""
    orders = SalesOrder.objects.in_unit(period.unit).filter(contract__isnull=False, **period.during("created_at"))
    bad = orders.filter(contract__signed_on__isnull=True)
    checked = orders.count()
    count = bad.count() if checked else 0
    return none_violating(
        "按合同下的订单，其合同均已签订",
        checked=checked,
        violations=_order_links(bad) if count else [],
        violation_count=count,
        noun="单",
        records_url=reverse("sales:orders"),
    )


@evidence("SAL-2")
def discounts_price_approved(period: Period) -> Evidence:
    """超出折扣档的报价经价格审批"""
    from .models import Quotation

    approved = Quotation.objects.in_unit(period.unit).filter(approval_level__gt=0, **period.during("approved_at"))
    bad = approved.filter(Q(approved_by__isnull=True) | Q(approved_by=F("created_by")))
    checked = approved.count()
    count = bad.count() if checked else 0
    rows = bad.order_by("approved_at", "id").values("pk", "number")[:SHORTFALL_ROWS] if count else []
    return none_violating(
        "超出折扣档的报价经主管/总经理价格审批（非报价人）",
        checked=checked,
        violations=[(row["number"], reverse("sales:quotation-detail", args=[row["pk"]])) for row in rows],
        violation_count=count,
        noun="份",
        records_url=reverse("sales:quotations"),
    )


@evidence("SAL-8")
def contract_changes_amended(period: Period) -> Evidence:
    """合同变更按程序：版本化变更记录"""
    contracts = Contract.objects.in_unit(period.unit)
    amended = ContractAmendment.objects.filter(contract__in=contracts.values("pk"), **period.during("created_at"))
    changed = contracts.filter(Q(pk__in=amended.values("contract")) | Q(revision__gt=1, **period.during("updated_at")))
    without_record = ~Exists(
        ContractAmendment.objects.filter(contract=OuterRef("pk"), to_revision=OuterRef("revision"))
    )
    incomplete = Exists(
        amended.filter(contract=OuterRef("pk")).filter(
            Q(reason="") | Q(changes={}) | ~Q(to_revision=F("from_revision") + 1)
        )
    )
    bad = changed.filter((Q(revision__gt=1) & without_record) | incomplete)
    checked = changed.count()
    count = bad.count() if checked else 0
    return none_violating(
        "变更的合同每个新版本都有变更记录（原因、变更内容、版本 +1）",
        checked=checked,
        violations=_contract_links(bad, "updated_at") if count else [],
        violation_count=count,
        noun="份",
        records_url=reverse("sales:contracts"),
        extra=(Figure("本期变更记录", amended.count() if checked else 0, "次"),),
    )


@evidence("SAL-6")
def orders_allocated_accurately(period: Period) -> Evidence:
    """订单配货、发货准确"""
    allocated = SalesOrder.objects.in_unit(period.unit).filter(**period.during("allocated_at"))
    allocated = allocated.exclude(status=OrderStatus.CANCELLED)
    line_off = SalesOrderLine.objects.filter(order=OuterRef("pk")).exclude(allocated_quantity=F("quantity"))
    ship_off = SalesOrderLine.objects.filter(order=OuterRef("pk")).exclude(shipped_quantity=F("quantity"))
    bad = allocated.filter(
        Q(confirmed_at__isnull=True)
        | Q(allocated_at__lt=F("confirmed_at"))
        | Q(Exists(line_off))
        | Q(Exists(ship_off), shipped_at__isnull=False)
    )
    total = allocated.count()
    count = bad.count() if total else 0
    return rate(
        "订单确认后配货，配货与发货数量与订单一致",
        good=total - count,
        total=total,
        noun="单",
        good_label="准确",
        shortfalls=_order_links(bad, "allocated_at") if count else [],
        records_url=reverse("sales:orders"),
    )


@evidence("SAL-6")
def order_processing_time(period: Period) -> Evidence:
    """订单处理时效：录入到配货（发货通知）"""
    from django.db.models import Avg, DurationField, ExpressionWrapper, Max

    from salesservice.core.evidence import MET

    aspect = "订单处理时长：录入到配货并通知仓库发货"
    allocated = SalesOrder.objects.in_unit(period.unit).filter(**period.during("allocated_at"))
    took = ExpressionWrapper(F("allocated_at") - F("created_at"), output_field=DurationField())
    figures = allocated.aggregate(n=Count("pk"), avg=Avg(took), longest=Max(took))
    if not figures["n"]:
        return Evidence.none(aspect)

    def hours(value) -> Decimal:
        seconds = value.total_seconds() if value is not None else 0
        return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"))

    return Evidence(
        aspect=aspect,
        status=MET,
        figures=(
            Figure("订单数", figures["n"], "单"),
            Figure("平均处理时长", hours(figures["avg"]), "小时"),
            Figure("最长处理时长", hours(figures["longest"]), "小时"),
        ),
        note="制度要求“快速”，政策参数未设处理时限目标，此处列示实测时长",
        records_url=reverse("sales:orders"),
    )
