"""售后服务 — the service desk dashboard: requests by status and channel, first contact on time (SRV-2, the same
rule as the compliance evidence), resolved within 24 h, escalations, the open backlog and its age, engineer load."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from salesservice.core.evidence import Period
from salesservice.service.choices import OPEN_STATUSES, Channel, EscalationLevel
from salesservice.service.choices import ServiceRequestStatus as S
from salesservice.service.models import ServiceRequest

from .base import (
    Breakdown,
    Column,
    answer,
    chart,
    choice_aggregates,
    grouped_total,
    in_unit,
    kpi,
    level_of,
    link,
    num,
    pct,
    store_param,
)

TITLE = "售后服务"
REACHED = Q(first_contacted_at__isnull=False) | Q(first_contact_breached_at__isnull=False)
LATE_CONTACT = Q(first_contacted_at__gt=F("first_contact_due_at")) | Q(
    first_contacted_at__isnull=True, first_contact_breached_at__isnull=False
)
DAY = dt.timedelta(hours=24)
AGE_BUCKETS = [("1 天内", 0, 1), ("1–3 天", 1, 3), ("3–7 天", 3, 7), ("7 天以上", 7, None)]


def _period_aggregates(now: dt.datetime) -> dict:
    # resolved within 24 h of receipt, among requests not cancelled whose 24 h have run out or that are resolved
    due_24h = ~Q(status=S.CANCELLED) & (Q(resolved_at__isnull=False) | Q(received_at__lte=now - DAY))
    return {
        "received": Count("pk"),
        "fc_due": Count("pk", filter=REACHED),
        "fc_late": Count("pk", filter=REACHED & LATE_CONTACT),
        "r24_due": Count("pk", filter=due_24h),
        "r24_good": Count("pk", filter=due_24h & Q(resolved_at__lte=F("received_at") + DAY)),
        "esc_region": Count("pk", filter=Q(escalation_level=EscalationLevel.REGION)),
        "esc_hq": Count("pk", filter=Q(escalation_level=EscalationLevel.HQ)),
    }


def _backlog_aggregates(now: dt.datetime) -> dict:
    aggregates = {"backlog": Count("pk"), "min_received": Min("received_at")}
    for index, (_label, low, _high) in enumerate(AGE_BUCKETS):
        aggregates[f"age_{index}"] = Count("pk", filter=Q(received_at__lte=now - dt.timedelta(days=low)))
    return aggregates


def service_data(period: Period, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    requests = in_unit(ServiceRequest.objects.all(), period.unit).filter(**period.during("received_at"))
    backlog = in_unit(ServiceRequest.objects.all(), period.unit).filter(status__in=OPEN_STATUSES)
    staff = "assignee" if level_of(period.unit) == "staff" else None
    # one scan of the period's requests for every period figure, the status and channel charts and the breakdown
    by_group, figures = grouped_total(
        requests,
        period,
        unit_field="store",
        staff_field=staff,
        **_period_aggregates(now),
        **choice_aggregates("status", "status", S.choices),
        **choice_aggregates("channel", "channel", Channel.choices),
    )
    open_by_group, open_figures = grouped_total(
        backlog, period, unit_field="store", staff_field=staff, **_backlog_aggregates(now)
    )

    where = {"received_after": period.start, "received_before": period.end, **store_param(period)}
    open_statuses = [str(status) for status in OPEN_STATUSES]
    list_url = link("service:requests", **where)
    late_cut = (now - dt.timedelta(days=3)).replace(microsecond=0)
    oldest = open_figures["min_received"]
    oldest_days = num((now - oldest).total_seconds() / 86400) if oldest else None
    kpis = [
        kpi("received", "受理服务单", figures["received"], "单", list_url),
        kpi(
            "first_contact_on_time",
            "首次联系及时率",
            pct(figures["fc_due"] - figures["fc_late"], figures["fc_due"]),
            "%",
            list_url,
            note=f"已联系或已超时 {figures['fc_due']} 单，超时 {figures['fc_late']} 单",
        ),
        kpi(
            "resolved_24h",
            "24 小时内解决率",
            pct(figures["r24_good"], figures["r24_due"]),
            "%",
            list_url,
            note=f"应解决 {figures['r24_due']} 单，24 小时内解决 {figures['r24_good']} 单",
        ),
        kpi(
            "escalated_region",
            "升级至区部",
            figures["esc_region"],
            "单",
            link("service:requests", escalation_level=EscalationLevel.REGION, **where),
        ),
        kpi(
            "escalated_hq",
            "升级至总部",
            figures["esc_hq"],
            "单",
            link("service:requests", escalation_level=EscalationLevel.HQ, **where),
        ),
        kpi(
            "backlog",
            "未结服务单（当前）",
            open_figures["backlog"],
            "单",
            link("service:requests", status=open_statuses, **store_param(period)),
        ),
        kpi(
            "backlog_over_3d",
            "积压超过 3 天",
            open_figures["age_2"],
            "单",
            link(
                "service:requests",
                status=open_statuses,
                received_before=timezone.localtime(late_cut).isoformat(),
                **store_param(period),
            ),
        ),
        kpi("backlog_oldest_days", "最久未结（天）", oldest_days, "天", ""),
    ]

    statuses, status_labels = [v for v, _ in S.choices], [str(label) for _, label in S.choices]
    status_counts = [figures[f"status_{value}"] for value in statuses]
    channels, channel_labels = [v for v, _ in Channel.choices], [str(label) for _, label in Channel.choices]
    channel_counts = [figures[f"channel_{value}"] for value in channels]
    ages = [
        open_figures[f"age_{i}"] - (open_figures[f"age_{i + 1}"] if i + 1 < len(AGE_BUCKETS) else 0)
        for i in range(len(AGE_BUCKETS))
    ]
    load = list(
        backlog.filter(assignee__isnull=False)
        .values("assignee", "assignee__display_name", "assignee__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignee")[:10]
    )
    charts = [
        chart(
            "by_status",
            "服务单状态",
            "bar",
            status_labels,
            [{"name": "服务单", "data": status_counts}],
            [link("service:requests", status=value, **where) for value in statuses],
        ),
        chart(
            "by_channel",
            "受理渠道",
            "pie",
            channel_labels,
            [{"name": "服务单", "data": channel_counts}],
            [link("service:requests", channel=value, **where) for value in channels],
        ),
        chart(
            "backlog_age",
            "未结服务单账龄",
            "bar",
            [label for label, *_ in AGE_BUCKETS],
            [{"name": "服务单", "data": ages}],
        ),
        chart(
            "engineer_load",
            "工程师在办服务单（前 10）",
            "bar",
            [row["assignee__display_name"] or row["assignee__username"] for row in load],
            [{"name": "在办", "data": [row["n"] for row in load]}],
            [link("service:requests", status=open_statuses, assignee=row["assignee"]) for row in load],
        ),
    ]

    columns = [
        Column("received", "受理", "单"),
        Column("first_contact_on_time", "首次联系及时率", "%"),
        Column("resolved_24h", "24 小时解决率", "%"),
        Column("escalated", "升级", "单"),
        Column("backlog", "未结（当前）", "单"),
    ]
    breakdown = Breakdown(period, columns)
    breakdown.add(
        by_group,
        lambda v: {
            "received": v["received"],
            "first_contact_on_time": pct(v["fc_due"] - v["fc_late"], v["fc_due"]),
            "resolved_24h": pct(v["r24_good"], v["r24_due"]),
            "escalated": v["esc_region"] + v["esc_hq"],
        },
    )
    breakdown.add(open_by_group, lambda v: {"backlog": v["backlog"]})
    for row in breakdown.values.values():
        row.setdefault("received", 0)
        row.setdefault("escalated", 0)
        row.setdefault("backlog", 0)
    return answer("service", TITLE, period, kpis, charts, breakdown)
