"""Compliance evidence of supplier management (issue 16 §4): SUP-1 — suppliers evaluated on the seven criteria."""

from django.db.models import Count
from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence

from .models import Evaluation


@evidence("SUP-1")
def suppliers_evaluated(period: Period) -> Evidence:
    """供应商评价"""
    evaluations = Evaluation.objects.in_unit(period.unit).filter(**period.during("evaluated_at"))
    by_standing = dict(
        evaluations.values_list("standing_after").annotate(n=Count("pk")).values_list("standing_after", "n")
    )
    labels = dict(Evaluation._meta.get_field("standing_after").choices)
    extra = (Figure("供应商数", evaluations.values("supplier_id").distinct().count(), "家"),)
    extra += tuple(Figure(str(labels.get(key, key)), n, "次") for key, n in sorted(by_standing.items()))
    return count_only(
        "供应商按七项准则评价",
        count=sum(by_standing.values()),
        noun="次",
        records_url=reverse("suppliers:suppliers"),
        extra=extra,
    )
