"""Compliance evidence of customer data and property (issue 16 §4): CPR-1 — loss or damage of customer property
reported to the customer; SRV-10 / INF-1 — every reveal of masked personal data logged with who, what and why."""

from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence, rate

from .models import CustomerProperty, PropertyIncident


@evidence("CPR-1")
def property_incidents_told_to_the_customer(period: Period) -> Evidence:
    """顾客财产丢失损坏告知客户"""
    incidents = PropertyIncident.objects.in_unit(period.unit).filter(**period.during("reported_at"))
    untold = incidents.filter(customer_informed_at__isnull=True)
    rows = untold.order_by("reported_at").values("property_id", "property__description")[:20]
    registered = CustomerProperty.objects.in_unit(period.unit).filter(**period.during("received_at")).count()
    return rate(
        "顾客财产丢失/损坏已告知客户",
        good=incidents.count() - untold.count(),
        total=incidents.count(),
        noun="起",
        good_label="已告知",
        shortfalls=[
            (row["property__description"], reverse("customers:property-detail", args=[row["property_id"]]))
            for row in rows
        ],
        extra=(Figure("本期登记的顾客财产", registered, "件"),),
        note="本期没有顾客财产丢失或损坏" if registered and not incidents.exists() else "",
    )


@evidence("SRV-10")
@evidence("INF-1")
def personal_data_reveals_logged(period: Period) -> Evidence:
    """个人信息查看留痕"""
    from django.db.models import Count

    from salesservice.core.models import PersonalDataAccess

    if period.unit is not None:
        return Evidence.none("个人信息完整查看留痕", "查看记录按人员记录，只在全公司口径统计")
    reveals = PersonalDataAccess.objects.filter(**period.during("created_at"))
    readers = reveals.aggregate(n=Count("user_id", distinct=True))["n"]
    return count_only(
        "个人信息完整查看留痕（默认脱敏，查看即记录查看人、字段、用途）",
        count=reveals.count(),
        noun="次",
        records_url=reverse("core:access-log"),
        extra=(Figure("查看人", readers, "人"),),
    )
