"""Compliance evidence of the service desk (issue 16 §4): SRV-1 … SRV-9, SRV-11 from the requests' own records."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence, none_violating, rate

from .choices import ServiceRequestStatus as S
from .models import Acceptance, KnowledgeArticle, ServiceRequest, WorkRecord


def _list_url(period: Period, **extra) -> str:
    query = f"received_after={period.start}&received_before={period.end}"
    if period.unit is not None:
        query += f"&store={period.unit.pk}" if period.unit.kind == "store" else ""
    for key, value in extra.items():
        query += f"&{key}={value}"
    return reverse("service:requests") + "?" + query


def _link(row) -> tuple[str, str]:
    return row["number"], reverse("service:request-detail", args=[row["pk"]])


def _requests(period: Period):
    return ServiceRequest.objects.in_unit(period.unit).filter(**period.during("received_at"))


@evidence("SRV-1")
def requests_by_channel(period: Period) -> Evidence:
    """服务请求受理渠道"""
    counts = dict(_requests(period).values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    labels = dict(ServiceRequest._meta.get_field("channel").choices)
    extra = tuple(Figure(str(labels.get(channel, channel)), n, "单") for channel, n in sorted(counts.items()))
    return count_only(
        "服务请求受理渠道", count=sum(counts.values()), noun="单", records_url=_list_url(period), extra=extra
    )


@evidence("SRV-2")
def first_contact_in_time(period: Period) -> Evidence:
    """2 小时内首次联系客户"""
    reached = Q(first_contacted_at__isnull=False) | Q(first_contact_breached_at__isnull=False)
    late_q = Q(first_contacted_at__gt=F("first_contact_due_at")) | Q(
        first_contacted_at__isnull=True, first_contact_breached_at__isnull=False
    )
    counts = _requests(period).aggregate(total=Count("pk", filter=reached), late=Count("pk", filter=late_q))
    total, late_count = counts["total"], counts["late"]
    late_rows = (
        list(_requests(period).filter(late_q).order_by("received_at").values("pk", "number")[:20]) if late_count else []
    )
    return rate(
        "2 小时内首次联系客户",
        good=total - late_count,
        total=total,
        noun="单",
        good_label="按时联系",
        shortfalls=[_link(row) for row in late_rows],
        records_url=_list_url(period),
        note="未到期且尚未联系的服务单不计入",
    )


@evidence("SRV-2")
def unresolved_escalated(period: Period) -> Evidence:
    """超过 24 小时未解决的逐级升级"""
    requests = _requests(period)
    escalated = requests.filter(escalation_level__gt=0).count()
    # the sweep escalates every open request past its due time; one past due still at store level was missed
    missed = requests.filter(
        escalation_level=0,
        resolved_at__isnull=True,
        escalation_due_at__lt=timezone.now(),
        status__in=[S.RECEIVED, S.CONTACTED, S.DISPATCHED, S.IN_PROGRESS],
    )
    missed_count = missed.count()
    return none_violating(
        "超时未解决的服务单已升级",
        checked=escalated + missed_count,
        violations=[_link(row) for row in missed.order_by("received_at").values("pk", "number")[:20]],
        violation_count=missed_count,
        noun="单",
        records_url=_list_url(period, overdue="true"),
        extra=(Figure("已升级", escalated, "单"),),
        note="本期没有超过升级时限的服务单",
    )


@evidence("SRV-6")
def condition_confirmed(period: Period) -> Evidence:
    """维修前后状况经客户确认"""
    records = WorkRecord.objects.filter(
        request__in=ServiceRequest.objects.in_unit(period.unit).values("pk"), **period.during("visited_at")
    )
    total = records.count()
    missing = records.filter(Q(before_confirmed_by_customer=False) | Q(after_confirmed_by_customer=False))
    rows = missing.select_related("request").order_by("visited_at")[:20]
    return rate(
        "维修前后状况经客户确认",
        good=total - missing.count(),
        total=total,
        noun="次",
        good_label="双方确认",
        shortfalls=[(r.request.number, reverse("service:request-detail", args=[r.request_id])) for r in rows],
        records_url=_list_url(period),
    )


@evidence("SRV-8")
def closed_records_complete(period: Period) -> Evidence:
    """结案服务记录完整（解决方案、负责工程师或网点；满意度另计）"""
    closed = ServiceRequest.objects.in_unit(period.unit).filter(status=S.CLOSED, **period.during("closed_at"))
    incomplete_q = Q(solution="") | Q(assignee__isnull=True, provider__isnull=True)
    counts = closed.aggregate(
        total=Count("pk"),
        incomplete=Count("pk", filter=incomplete_q),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
    )
    incomplete = closed.filter(incomplete_q) if counts["incomplete"] else closed.none()
    rated = counts["rated"]
    return rate(
        "结案服务记录完整",
        good=counts["total"] - counts["incomplete"],
        total=counts["total"],
        noun="单",
        good_label="记录完整",
        shortfalls=[_link(row) for row in incomplete.values("pk", "number")[:20]],
        records_url=_list_url(period, status=S.CLOSED),
        extra=(Figure("有满意度评价", rated, "单"),),
    )


@evidence("SRV-4")
def dispatched_on_site_or_remote(period: Period) -> Evidence:
    """上门或远程派工"""
    dispatched = _requests(period).exclude(dispatch_mode="")
    counts = dict(dispatched.values_list("dispatch_mode").annotate(n=Count("pk")).values_list("dispatch_mode", "n"))
    labels = dict(ServiceRequest._meta.get_field("dispatch_mode").choices)
    extra = tuple(Figure(str(labels.get(mode, mode)), n, "单") for mode, n in sorted(counts.items()))
    return count_only("派工方式", count=sum(counts.values()), noun="单", records_url=_list_url(period), extra=extra)


@evidence("SRV-5")
def closed_with_customer_acceptance(period: Period) -> Evidence:
    """客户验收服务结果"""
    closed = ServiceRequest.objects.in_unit(period.unit).filter(status=S.CLOSED, **period.during("closed_at"))
    accepted = Acceptance.objects.filter(request__in=closed.values("pk")).values("request")
    total = closed.count()
    counts = {"total": total, "missing": total - accepted.aggregate(n=Count("request", distinct=True))["n"]}
    # listed by an anti-join (NOT EXISTS), not a NOT IN over every acceptance
    unaccepted = ~Exists(Acceptance.objects.filter(request=OuterRef("pk")))
    missing = closed.filter(unaccepted) if counts["missing"] else closed.none()
    return rate(
        "结案服务单有客户验收记录",
        good=counts["total"] - counts["missing"],
        total=counts["total"],
        noun="单",
        good_label="客户已验收",
        shortfalls=[_link(row) for row in missing.order_by("pk").values("pk", "number")[:20]],
        records_url=_list_url(period, status=S.CLOSED),
    )


@evidence("SRV-7")
def on_site_checklist(period: Period) -> Evidence:
    """上门服务现场检查清单"""
    records = WorkRecord.objects.filter(
        request__in=ServiceRequest.objects.in_unit(period.unit).values("pk"), **period.during("visited_at")
    )
    missing = records.filter(Q(protected_equipment=False) | Q(no_unauthorised_use=False) | Q(cleaned_up=False))
    rows = missing.select_related("request").order_by("visited_at")[:20]
    return rate(
        "服务记录的现场三项（保护设备、未擅用、完工清理）齐全",
        good=records.count() - missing.count(),
        total=records.count(),
        noun="次",
        good_label="三项齐全",
        shortfalls=[(r.request.number, reverse("service:request-detail", args=[r.request_id])) for r in rows],
        records_url=_list_url(period),
    )


@evidence("FBK-5")
def cases_into_knowledge_base(period: Period) -> Evidence:
    """典型案例进入知识库"""
    from .choices import KnowledgeStatus

    articles = KnowledgeArticle.objects.filter(
        source_request__in=ServiceRequest.objects.in_unit(period.unit).values("pk"), **period.during("created_at")
    )
    return count_only(
        "由服务案例总结的知识库文章",
        count=articles.count(),
        noun="篇",
        records_url=reverse("service:knowledge"),
        extra=(Figure("已发布", articles.filter(status=KnowledgeStatus.PUBLISHED).count(), "篇"),),
    )


# --- SRV-3, SRV-9, SRV-11 ------------------------------------------------------------------------

PRODUCT_CATEGORIES = ("installation", "repair", "maintenance")  # a service on a product: its warranty applies


def _closed(period: Period):
    return ServiceRequest.objects.in_unit(period.unit).filter(status=S.CLOSED, **period.during("closed_at"))


def _first_violating(closed, conditions) -> list[dict]:
    """The first 20 closed requests (by id, i.e. receipt) breaking any of `conditions` — (count, condition) pairs:
    one query per broken condition, each a plain filter or a single NOT EXISTS (an anti-join) walked in id order
    so it stops after 20 rows — never a NOT IN over every closed request; merged here."""
    rows: dict[int, dict] = {}
    for count, condition in conditions:
        if count:
            for row in closed.filter(condition).order_by("pk").values("pk", "number")[:20]:
                rows[row["pk"]] = row
    return [rows[pk] for pk in sorted(rows)[:20]]


@evidence("SRV-3")
def closed_through_every_step(period: Period) -> Evidence:
    """结案服务单经过服务流程的全部步骤"""
    aspect = "结案服务单经过受理、分析、方案、实施、验证、满意度调查、案例总结全部步骤"
    closed = _closed(period)
    fields_ok = ~Q(root_cause="") & ~Q(solution="") & Q(satisfaction__isnull=False)
    counts = closed.aggregate(
        total=Count("pk"),
        no_cause=Count("pk", filter=Q(root_cause="")),
        no_solution=Count("pk", filter=Q(solution="")),
        no_survey=Count("pk", filter=Q(satisfaction__isnull=True)),
        fields_short=Count("pk", filter=~fields_ok),
    )
    total = counts["total"]
    if not total:
        return Evidence.none(aspect)
    # the process record and the customer's verification: semi-joins against the child tables, one pass
    worked = WorkRecord.objects.values("request")
    verified = Acceptance.objects.filter(accepted=True).values("request")
    complete = closed.filter(fields_ok, Q(pk__in=worked), Q(pk__in=verified)).count()
    steps_short = total - counts["fields_short"] - complete  # fields complete, process record or verification missing
    violating = _first_violating(
        closed,
        [
            (counts["fields_short"], ~fields_ok),
            (steps_short, ~Exists(WorkRecord.objects.filter(request=OuterRef("pk")))),
            (steps_short, ~Exists(Acceptance.objects.filter(request=OuterRef("pk"), accepted=True))),
        ],
    )
    # typical cases summarised into the knowledge base (a small table: joined from its side)
    summarised = KnowledgeArticle.objects.filter(source_request__in=closed.values("pk")).aggregate(
        n=Count("source_request", distinct=True)
    )["n"]
    return none_violating(
        aspect,
        checked=total,
        violations=[_link(row) for row in violating],
        violation_count=total - complete,
        noun="单",
        records_url=_list_url(period, status=S.CLOSED),
        extra=(
            Figure("缺原因分析", counts["no_cause"], "单"),
            Figure("缺解决方案", counts["no_solution"], "单"),
            Figure("缺满意度调查", counts["no_survey"], "单"),
            Figure("其余齐全但缺实施记录或客户验证", steps_short, "单"),
            Figure("典型案例入知识库", summarised, "单"),
        ),
    )


@evidence("SRV-9")
def archived_by_time_type_person(period: Period) -> Evidence:
    """服务记录按时间、类型、责任人归档"""
    closed = _closed(period)
    unfiled = Q(category="") | Q(assignee__isnull=True)
    # one pass: per category, the closed requests and those without a responsible person
    by_category = list(
        closed.values("category").annotate(n=Count("pk"), unfiled=Count("pk", filter=unfiled)).order_by("category")
    )
    counts = {"total": sum(row["n"] for row in by_category), "unfiled": sum(row["unfiled"] for row in by_category)}
    labels = dict(ServiceRequest._meta.get_field("category").choices)
    extra = tuple(Figure(str(labels.get(row["category"], row["category"])), row["n"], "单") for row in by_category)
    rows = _first_violating(closed, [(counts["unfiled"], unfiled)])
    query = f"group=category&received_after={period.start}&received_before={period.end}"
    return rate(
        "结案服务单可按时间、类型、责任人归档查询",
        good=counts["total"] - counts["unfiled"],
        total=counts["total"],
        noun="单",
        good_label="时间、类型、责任人齐全",
        shortfalls=[_link(row) for row in rows],
        records_url=reverse("service:request-summary") + "?" + query,
        extra=extra,
    )


@evidence("SRV-11")
def warranty_terms_on_request(period: Period) -> Evidence:
    """服务单载明保修依据（商品与购买日期）"""
    closed = _closed(period).filter(category__in=PRODUCT_CATEGORIES)
    missing = Q(product__isnull=True) | Q(purchase_date__isnull=True)
    counts = closed.aggregate(total=Count("pk"), missing=Count("pk", filter=missing))
    rows = _first_violating(closed, [(counts["missing"], missing)])
    return rate(
        "安装、维修、保养服务单载明商品与购买日期（可判定保修期）",
        good=counts["total"] - counts["missing"],
        total=counts["total"],
        noun="单",
        good_label="保修依据齐全",
        shortfalls=[_link(row) for row in rows],
        records_url=_list_url(period, status=S.CLOSED),
        note="合同约定的服务条款：服务单未关联销售合同，系统只能证明保修依据",
    )
