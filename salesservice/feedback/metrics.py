"""Satisfaction metrics (FBK-4: satisfaction information is collected and analysed).

Pure functions on numbers first — unit-tested on their edge cases (no answers → None) — then the
grouped database aggregation that feeds them (by store, staff, product or month), one query each.

- CSAT = share of rating answers (1–5) that are ≥ 4, in %; plus the average rating.
- NPS = % promoters (9–10) − % detractors (0–6) among NPS answers (0–10), from −100 to 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .choices import QuestionKind

SATISFIED_MIN = 4
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
_ONE_DECIMAL = Decimal("0.1")


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Csat:
    count: int
    satisfied: int
    csat: Decimal | None  # % of ratings ≥ 4
    average: Decimal | None  # mean rating, 2 decimals


@dataclass(frozen=True)
class Nps:
    count: int
    promoters: int
    passives: int
    detractors: int
    nps: Decimal | None  # % promoters − % detractors


def csat_from_counts(count: int, satisfied: int, total_score: int) -> Csat:
    """CSAT from aggregated counts; `None` values when there are no rating answers."""
    if not count:
        return Csat(0, 0, None, None)
    average = (Decimal(total_score) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Csat(count, satisfied, _pct(satisfied, count), average)


def nps_from_counts(count: int, promoters: int, detractors: int) -> Nps:
    """NPS from aggregated counts; `nps` is None when there are no NPS answers."""
    if not count:
        return Nps(0, 0, 0, 0, None)
    nps = (Decimal(promoters - detractors) * 100 / Decimal(count)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return Nps(count, promoters, count - promoters - detractors, detractors, nps)


def csat(ratings: Iterable[int]) -> Csat:
    """CSAT of 1–5 ratings (values outside 1–5 are refused)."""
    values = list(ratings)
    if any(not 1 <= value <= 5 for value in values):
        raise ValueError("ratings must be 1–5")
    return csat_from_counts(len(values), sum(1 for v in values if v >= SATISFIED_MIN), sum(values))


def nps(scores: Iterable[int]) -> Nps:
    """NPS of 0–10 scores (values outside 0–10 are refused)."""
    values = list(scores)
    if any(not 0 <= value <= 10 for value in values):
        raise ValueError("NPS scores must be 0–10")
    promoters = sum(1 for v in values if v >= PROMOTER_MIN)
    detractors = sum(1 for v in values if v <= DETRACTOR_MAX)
    return nps_from_counts(len(values), promoters, detractors)


# --- grouped aggregation --------------------------------------------------------------------

DIMENSIONS = {
    "store": ("response__store_id", "response__store__name"),
    "staff": ("response__staff_id", "response__staff__display_name"),
    "product": ("response__product_id", "response__product__name"),
    "month": ("month", None),
}


def _aggregates() -> dict:
    rating = Q(kind=QuestionKind.RATING)
    promoter_q = Q(kind=QuestionKind.NPS)
    return {
        "rating_count": Count("pk", filter=rating),
        "rating_satisfied": Count("pk", filter=rating & Q(score__gte=SATISFIED_MIN)),
        "rating_sum": Sum("score", filter=rating),
        "nps_count": Count("pk", filter=promoter_q),
        "nps_promoters": Count("pk", filter=promoter_q & Q(score__gte=PROMOTER_MIN)),
        "nps_detractors": Count("pk", filter=promoter_q & Q(score__lte=DETRACTOR_MAX)),
    }


def _row(key, label, values: dict) -> dict:
    c = csat_from_counts(values["rating_count"], values["rating_satisfied"], values["rating_sum"] or 0)
    n = nps_from_counts(values["nps_count"], values["nps_promoters"], values["nps_detractors"])
    return {"key": key, "label": label, "csat": asdict(c), "nps": asdict(n)}


def summarise(answers: QuerySet) -> dict:
    """Overall CSAT and NPS of a queryset of `SurveyAnswer` (one query)."""
    values = answers.filter(kind__in=(QuestionKind.RATING, QuestionKind.NPS)).aggregate(**_aggregates())
    return _row(None, "", values)


def metrics_by(answers: QuerySet, dimension: str) -> list[dict]:
    """CSAT and NPS per store / staff / product / month (YYYY-MM, local time) — one query."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension}")
    key_field, label_field = DIMENSIONS[dimension]
    queryset = answers.filter(kind__in=(QuestionKind.RATING, QuestionKind.NPS))
    if dimension == "month":
        queryset = queryset.annotate(month=TruncMonth("response__submitted_at", tzinfo=timezone.get_current_timezone()))
        fields = ["month"]
    else:
        fields = [key_field, label_field]
    rows = queryset.values(*fields).annotate(**_aggregates()).order_by(*fields)
    result = []
    for row in rows:
        if dimension == "month":
            month = row["month"]
            key = label = month.strftime("%Y-%m") if month else ""
        else:
            key, label = row[key_field], row[label_field] or ""
        result.append(_row(key, label, row))
    return result
