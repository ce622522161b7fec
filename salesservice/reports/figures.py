"""The figures of each scheduled report (issue 16 §2), computed from the records for a period and an org unit
(None: the whole company), set-based (a few aggregate queries per report, never one per record).

Every report answers the same shape, which the PDF, the Excel workbook, the page and the API all read::

    {"summary": [{"key", "label", "value", "unit"}],           # headline figures (value None: no data)
     "sections": [{"key", "title", "header": [...], "rows": [[...], ...]}]}

Numbers stay numbers (int, or float rounded to one decimal) so the Excel cells are numeric.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q

from salesservice.core.evidence import Period

DAY = dt.timedelta(hours=24)


def _num(value):
    """A JSON-safe number: Decimal → float (1 decimal), None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal | float):
        return round(float(value), 1)
    return value


def pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def figure(key: str, label: str, value, unit: str = "") -> dict:
    return {"key": key, "label": label, "value": _num(value), "unit": unit}


def section(key: str, title: str, header: list[str], rows: list[list]) -> dict:
    return {"key": key, "title": title, "header": header, "rows": [[_num(cell) for cell in row] for row in rows]}


def _in_unit(queryset, period: Period, path: str = "store"):
    if period.unit is None:
        return queryset
    return queryset.filter(**{f"{path}__path__startswith": period.unit.path})


# --- 周服务质量报告 ------------------------------------------------------------------------------------------


def weekly_service(period: Period, now: dt.datetime) -> dict:
    """SRV-1…SRV-3, CMP-7, RET-*, FBK-2, FBK-4 for one week and unit: the requests received (by channel and by
    status now), first contact on time, resolved within 24 h, escalations, the backlog at `now`, complaints by
    level, returns, follow-up coverage of the requests closed, CSAT and NPS of the surveys answered."""
    from salesservice.complaints.choices import ComplaintLevel
    from salesservice.complaints.models import Complaint
    from salesservice.feedback.metrics import summarise
    from salesservice.feedback.models import FollowUp, SurveyAnswer
    from salesservice.returns.choices import ReturnStatus
    from salesservice.returns.models import ReturnRequest
    from salesservice.service.choices import Channel, ServiceRequestStatus
    from salesservice.service.models import Escalation, ServiceRequest

    requests = _in_unit(ServiceRequest.objects.all(), period)
    received = requests.filter(**period.during("received_at"))
    live = received.exclude(status=ServiceRequestStatus.CANCELLED)
    on_time = Q(first_contacted_at__isnull=False, first_contacted_at__lte=F("first_contact_due_at"))
    within_day = Q(resolved_at__isnull=False, resolved_at__lte=F("received_at") + DAY)
    totals = live.aggregate(n=Count("pk"), on_time=Count("pk", filter=on_time), day=Count("pk", filter=within_day))
    received_count = received.count()
    by_channel = Counter(dict(received.values_list("channel").annotate(n=Count("pk")).order_by()))
    by_status = Counter(dict(received.values_list("status").annotate(n=Count("pk")).order_by()))
    escalations = _in_unit(Escalation.objects.filter(**period.during("at")), period, "request__store")
    escalation_levels = Counter(dict(escalations.values_list("to_level").annotate(n=Count("pk")).order_by()))
    _start, end_bound = period.bounds
    backlog = requests.filter(
        received_at__lt=min(end_bound, now),
        status__in=[s for s in ServiceRequestStatus.values if s not in ("closed", "cancelled")],
    ).count()

    complaints = _in_unit(Complaint.objects.filter(**period.during("received_at")), period)
    complaint_levels = Counter(dict(complaints.values_list("level").annotate(n=Count("pk")).order_by()))
    returns = _in_unit(ReturnRequest.objects.filter(**period.during("requested_at")), period)
    return_counts = returns.aggregate(
        n=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        rejected=Count("pk", filter=Q(status=ReturnStatus.REJECTED)),
    )
    closed = requests.filter(status=ServiceRequestStatus.CLOSED, **period.during("closed_at")).annotate(
        followed=Exists(FollowUp.objects.filter(service_request=OuterRef("pk"), completed_at__isnull=False))
    )
    coverage = closed.aggregate(n=Count("pk"), done=Count("pk", filter=Q(followed=True)))
    answers = _in_unit(
        SurveyAnswer.objects.filter(**period.during("response__submitted_at")), period, "response__store"
    )
    scores = summarise(answers)

    summary = [
        figure("received", "受理服务请求", received_count, "件"),
        figure("first_contact_on_time", "首次联系及时率", pct(totals["on_time"], totals["n"]), "%"),
        figure("resolved_24h", "24 小时内解决率", pct(totals["day"], totals["n"]), "%"),
        figure("escalations", "升级次数", sum(escalation_levels.values()), "次"),
        figure("backlog", "未结服务单（积压）", backlog, "件"),
        figure("complaints", "新增投诉", sum(complaint_levels.values()), "件"),
        figure("returns", "退换货申请", return_counts["n"], "件"),
        figure("closed", "结案服务单", coverage["n"], "件"),
        figure("follow_up_coverage", "回访覆盖率", pct(coverage["done"], coverage["n"]), "%"),
        figure("csat", "客户满意度 CSAT", scores["csat"]["csat"], "%"),
        figure("nps", "净推荐值 NPS", scores["nps"]["nps"], ""),
    ]
    sections = [
        section(
            "by_channel",
            "受理渠道",
            ["渠道", "服务请求数"],
            [[str(label), by_channel[value]] for value, label in Channel.choices],
        ),
        section(
            "by_status",
            "本周受理服务单的当前状态",
            ["状态", "服务请求数"],
            [[str(label), by_status[value]] for value, label in ServiceRequestStatus.choices],
        ),
        section(
            "timeliness",
            "时效",
            ["指标", "分子", "分母", "比率（%）"],
            [
                ["首次联系及时（未取消的服务单）", totals["on_time"], totals["n"], pct(totals["on_time"], totals["n"])],
                ["24 小时内解决", totals["day"], totals["n"], pct(totals["day"], totals["n"])],
                ["回访覆盖（本周结案）", coverage["done"], coverage["n"], pct(coverage["done"], coverage["n"])],
            ],
        ),
        section(
            "escalations",
            "升级（按升至级别）",
            ["级别", "次数"],
            [[str(label), escalation_levels[value]] for value, label in ((1, "区部"), (2, "总部"))],
        ),
        section(
            "complaints",
            "投诉（按处理级别）",
            ["级别", "投诉数"],
            [[str(label), complaint_levels[value]] for value, label in ComplaintLevel.choices],
        ),
        section(
            "returns",
            "退换货",
            ["项目", "数量"],
            [
                ["申请", return_counts["n"]],
                ["已处理", return_counts["resolved"]],
                ["已拒绝", return_counts["rejected"]],
            ],
        ),
        section(
            "satisfaction",
            "满意度调查",
            ["指标", "答卷数", "结果"],
            [
                ["CSAT（评分 ≥ 4 占比，%）", scores["csat"]["count"], scores["csat"]["csat"]],
                ["平均评分（1–5）", scores["csat"]["count"], scores["csat"]["average"]],
                ["NPS（推荐者 − 贬损者，%）", scores["nps"]["count"], scores["nps"]["nps"]],
            ],
        ),
    ]
    if period.unit is None or period.unit.kind != "store":
        sections.append(_stores(live, received))
    return {"summary": summary, "sections": sections}


def _stores(live, received) -> dict:
    """One row per store of the unit: received, on time %, resolved within 24 h % (two grouped queries)."""
    on_time = Q(first_contacted_at__isnull=False, first_contacted_at__lte=F("first_contact_due_at"))
    within_day = Q(resolved_at__isnull=False, resolved_at__lte=F("received_at") + DAY)
    counts = dict(received.values_list("store__name").annotate(n=Count("pk")).order_by())
    rows = []
    for name, n, ok, day in (
        live.values_list("store__name")
        .annotate(n=Count("pk"), ok=Count("pk", filter=on_time), day=Count("pk", filter=within_day))
        .order_by("store__path")
    ):
        rows.append([name, counts.get(name, n), pct(ok, n), pct(day, n)])
    return section("stores", "门店明细", ["门店", "受理数", "首次联系及时率（%）", "24 小时内解决率（%）"], rows)


# --- 月度KPI考核汇总 -----------------------------------------------------------------------------------------


def monthly_kpi(period: Period, now: dt.datetime) -> dict:
    """KPI-1…KPI-5 for one month and unit: the monthly appraisal cycle of the month — per person the KPI score,
    final score, grade and bonus tier, per KPI the value against target, and the distribution of grades."""
    from salesservice.appraisals.choices import AppraisalStatus, CycleKind, Grade
    from salesservice.appraisals.models import Appraisal, AppraisalCycle, KpiLine

    cycle = AppraisalCycle.objects.filter(kind=CycleKind.MONTHLY, period_start=period.start).first()
    appraisals = _in_unit(Appraisal.objects.filter(cycle=cycle), period, "org_unit").select_related(
        "appraisee", "org_unit"
    )
    rows = list(appraisals.order_by("org_unit__path", "appraisee__display_name", "pk"))
    grades = Counter(a.grade or "" for a in rows)
    finalised = [a for a in rows if a.status == AppraisalStatus.FINALISED]
    stats = appraisals.aggregate(kpi=Avg("kpi_score"), final=Avg("final_score", filter=Q(final_score__isnull=False)))
    summary = [
        figure("cycle", "考核周期", f"{period.start:%Y-%m}" if cycle else "本月未开启考核周期"),
        figure("appraised", "参加考核人数", len(rows), "人"),
        figure("finalised", "已定稿", len(finalised), "人"),
        figure("kpi_average", "KPI 加权得分（平均）", stats["kpi"], "分"),
        figure("final_average", "最终得分（平均）", stats["final"], "分"),
        figure("grade_a", "A 优秀", grades["A"], "人"),
        figure("grade_d", "D 待改进", grades["D"], "人"),
    ]
    people = [
        [
            a.appraisee.display_name or a.appraisee.username,
            a.org_unit.name,
            a.post_label,
            str(a.get_status_display()),
            _num(a.kpi_score),
            _num(a.final_score),
            a.grade or "—",
            str(a.get_bonus_tier_display()) if a.bonus_tier else "—",
        ]
        for a in rows
    ]
    lines = (
        KpiLine.objects.filter(appraisal__in=[a.pk for a in rows])
        .select_related("appraisal__appraisee")
        .order_by("appraisal__org_unit__path", "appraisal__appraisee__display_name", "appraisal_id", "-weight", "code")
    )
    line_rows = [
        [
            line.appraisal.appraisee.display_name or line.appraisal.appraisee.username,
            line.name,
            line.weight,
            _num(line.target),
            _num(line.value),
            _num(line.score),
        ]
        for line in lines
    ]
    distribution = [[str(label), grades[value], pct(grades[value], len(rows))] for value, label in Grade.choices]
    distribution.append(["未定级", grades[""], pct(grades[""], len(rows))])
    sections = [
        section("grades", "等级分布", ["等级", "人数", "占比（%）"], distribution),
        section(
            "people",
            "个人考核结果",
            ["姓名", "单位", "岗位", "状态", "KPI 得分", "最终得分", "等级", "奖金档次"],
            people,
        ),
        section("kpis", "各项 KPI", ["姓名", "指标", "权重（%）", "目标值", "实际值", "得分"], line_rows),
    ]
    return {"summary": summary, "sections": sections}


# --- 月度经营管理报告 ----------------------------------------------------------------------------------------

COMPLIANCE_SHORT_LIMIT = 40


def monthly_management(period: Period, now: dt.datetime) -> dict:
    """The month for the general manager (a region manager: their region): the headline KPI of every dashboard
    area (`dashboards.areas.area_data`) and the compliance summary — met / short / no data and the clauses short
    (`dashboards.compliance.compliance_report`)."""
    from salesservice.core.evidence import MET, NO_DATA, SHORT
    from salesservice.dashboards.areas import AREAS, area_data
    from salesservice.dashboards.compliance import compliance_report

    kpi_rows = []
    for area, title in AREAS.items():
        data = area_data(area, period)
        for kpi in data.get("kpis", []):
            kpi_rows.append([str(title), str(kpi["label"]), _num(kpi["value"]), str(kpi.get("unit") or "")])
    report = compliance_report(period, now=now)
    counts = report.summary
    short_rows = []
    for result in report.results:
        if result.status != SHORT:
            continue
        figures = "；".join(
            "；".join(f"{f.label} {f.value}{f.unit}" for f in item.figures) or item.note
            for item in result.evidence
            if item.status == SHORT
        )
        short_rows.append([result.clause.id, result.clause.title, str(result.clause.area_title), figures])
    summary = [
        figure("areas", "经营领域", len(AREAS), "个"),
        figure("clauses", "制度条款", counts["clauses"], "条"),
        figure("met", "达标", counts[MET], "条"),
        figure("short", "未达标", counts[SHORT], "条"),
        figure("no_data", "无数据", counts[NO_DATA], "条"),
        figure("compliance_version", "条款清单版本", report.inventory_version),
    ]
    sections = [
        section("kpis", "各领域关键指标", ["领域", "指标", "数值", "单位"], kpi_rows),
        section(
            "compliance",
            "制度执行合规概况",
            ["结论", "条款数"],
            [["达标", counts[MET]], ["未达标", counts[SHORT]], ["无数据", counts[NO_DATA]]],
        ),
        section(
            "short",
            "未达标条款",
            ["条款", "标题", "领域", "未达标取证数据"],
            short_rows[:COMPLIANCE_SHORT_LIMIT],
        ),
    ]
    return {"summary": summary, "sections": sections}
