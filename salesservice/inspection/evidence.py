"""Compliance evidence of nonconformances (issue 16 §4): SUP-8 — every nonconforming product reviewed and disposed."""

from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate

from .choices import NonconformanceStatus as N
from .models import Nonconformance


@evidence("SUP-8")
def nonconformances_disposed(period: Period) -> Evidence:
    """不合格品评审处置"""
    opened = Nonconformance.objects.in_unit(period.unit).filter(**period.during("opened_at"))
    open_rows = opened.filter(status=N.OPEN)
    rows = open_rows.order_by("opened_at").values("pk", "number")[:20]
    return rate(
        "不合格品已评审处置",
        good=opened.count() - open_rows.count(),
        total=opened.count(),
        noun="项",
        good_label="已处置",
        shortfalls=[(row["number"], reverse("inspection:nonconformance-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("inspection:nonconformances"),
        extra=(Figure("已关闭", opened.filter(status=N.CLOSED).count(), "项"),),
    )
