"""人员与网络 — training completion (attendance of the period's sessions), certificates expiring, the KPI appraisal
distribution (grades of the appraisals finalised in the period) and outsourced providers' technician pass rates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from salesservice.appraisals.choices import AppraisalStatus, Grade
from salesservice.appraisals.models import Appraisal
from salesservice.core.evidence import Period
from salesservice.network.models import TechnicianTraining
from salesservice.people.choices import Attendance
from salesservice.people.models import Certification, SessionParticipant

from .base import Breakdown, Column, answer, chart, choice_counts, grouped, in_unit, kpi, level_of, link, num, pct

TITLE = "人员与网络"
CERT_WARNING_DAYS = 60
ATTENDANCE = {"recorded": Count("pk"), "present": Count("pk", filter=Q(attendance=Attendance.PRESENT))}
PASSES = {"trained": Count("pk"), "passed": Count("pk", filter=Q(passed=True))}


def _participants(period: Period):
    rows = SessionParticipant.objects.filter(
        session__attendance_recorded_at__isnull=False, **period.dates("session__planned_on")
    )
    if period.unit is not None:
        rows = rows.filter(session__plan__org_unit__path__startswith=period.unit.path)
    return rows


def _trainings(period: Period):
    rows = TechnicianTraining.objects.filter(**period.dates("trained_on"))
    if period.unit is not None:
        rows = rows.filter(provider__org_unit__path__startswith=period.unit.path)
    return rows


def people_data(period: Period) -> dict:
    today = timezone.localdate()
    participants = _participants(period)
    attendance = participants.aggregate(**ATTENDANCE)
    horizon = today + dt.timedelta(days=CERT_WARNING_DAYS)
    certificates = in_unit(Certification.objects.all(), period.unit).filter(revoked_at__isnull=True)
    cert_figures = certificates.aggregate(
        expiring=Count("pk", filter=Q(valid_until__gte=today, valid_until__lte=horizon)),
        valid=Count("pk", filter=Q(valid_until__isnull=True) | Q(valid_until__gte=today)),
    )
    appraisals = in_unit(Appraisal.objects.all(), period.unit).filter(
        status=AppraisalStatus.FINALISED, **period.during("finalised_at")
    )
    grades, grade_labels, grade_counts = choice_counts(appraisals, "grade", Grade.choices)
    appraisal_figures = appraisals.aggregate(n=Count("pk"), score=Avg("final_score"))
    trainings = _trainings(period)
    passes = trainings.aggregate(**PASSES)

    kpis = [
        kpi(
            "training_completion",
            "培训完成率（出席）",
            pct(attendance["present"], attendance["recorded"]),
            "%",
            link("people:plans"),
            note=f"已登记出勤 {attendance['recorded']} 人次，出席 {attendance['present']} 人次",
        ),
        kpi(
            "certificates_expiring",
            f"{CERT_WARNING_DAYS} 天内到期证书",
            cert_figures["expiring"],
            "张",
            link("people:certifications", valid="true"),
            note=f"有效证书 {cert_figures['valid']} 张",
        ),
        kpi("appraisals", "定稿考核", appraisal_figures["n"], "人", link("appraisals:cycles")),
        kpi("appraisal_score", "平均考核得分", num(appraisal_figures["score"]), "分", link("appraisals:cycles")),
        kpi(
            "provider_pass_rate",
            "网点技师培训合格率",
            pct(passes["passed"], passes["trained"]),
            "%",
            link("network:technicians"),
            note=f"参训 {passes['trained']} 人次，合格 {passes['passed']} 人次",
        ),
    ]
    charts = [
        chart("kpi_grades", "考核等级分布", "bar", grade_labels, [{"name": "人数", "data": grade_counts}]),
        chart(
            "training",
            "培训出勤",
            "pie",
            ["出席", "缺席"],
            [{"name": "人次", "data": [attendance["present"], attendance["recorded"] - attendance["present"]]}],
        ),
    ]
    columns = [
        Column("training_completion", "培训完成率", "%"),
        Column("certificates_expiring", "证书将到期", "张"),
        Column("appraisals", "定稿考核", "人"),
        Column("appraisal_score", "平均得分", "分"),
        Column("provider_pass_rate", "网点技师合格率", "%"),
    ]
    breakdown = Breakdown(period, columns)
    staff = level_of(period.unit) == "staff"
    breakdown.add(
        grouped(
            participants,
            period,
            unit_field="session__plan__org_unit",
            staff_field="user" if staff else None,
            **ATTENDANCE,
        ),
        lambda v: {"training_completion": pct(v["present"], v["recorded"])},
    )
    breakdown.add(
        grouped(
            appraisals,
            period,
            unit_field="org_unit",
            staff_field="appraisee" if staff else None,
            n=Count("pk"),
            total=Sum("final_score"),
            scored=Count("final_score"),
        ),
        lambda v: {"appraisals": v["n"], "appraisal_score": num(v["total"] / v["scored"]) if v["scored"] else None},
    )
    breakdown.add(
        grouped(trainings, period, unit_field="provider__org_unit", staff_field=None, **PASSES),
        lambda v: {"provider_pass_rate": pct(v["passed"], v["trained"])},
    )
    if staff:
        expiring = certificates.filter(valid_until__gte=today, valid_until__lte=horizon)
        breakdown.add(
            {row["user"]: row for row in expiring.values("user").annotate(n=Count("pk")).order_by()},
            lambda v: {"certificates_expiring": v["n"]},
        )
    return answer("people", TITLE, period, kpis, charts, breakdown)
