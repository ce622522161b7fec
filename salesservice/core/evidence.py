"""Evidence that a policy clause was followed, computed from the records (issue 16 §4: the compliance report).

An app proves the clauses it serves in its `evidence.py` (imported on start like `workbench.py`), one function per
clause and aspect, taking the report's `Period` and answering an `Evidence`:

    @evidence("SRV-2")
    def first_contact_in_time(period: Period) -> Evidence:
        requests = ServiceRequest.objects.in_unit(period.unit).filter(received_at__range=period.bounds)
        ...
        return rate("首次联系及时", good, total, target=100, shortfalls=…)

`Period(start, end, unit)`: dates inclusive, `unit` an OrgUnit whose subtree is counted (None: the whole company).
The report (`dashboards.compliance`) calls every function registered for a clause. **A clause with no function,
or whose functions find no records in the period, is `no_data` — never `met`**; one `short` aspect makes the clause
`short`. A function never raises for missing data: it answers `Evidence.none(...)`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MET, SHORT, NO_DATA = "met", "short", "no_data"
STATUS_LABELS = {MET: "达标", SHORT: "未达标", NO_DATA: "无数据"}
SHORTFALL_ROWS = 20  # records listed per short aspect; the count is always complete


@dataclasses.dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    unit: object | None = None  # core.OrgUnit, or None for the whole company

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start 00:00, end+1 00:00) in the project's time zone, for `__range`-style filters."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    def during(self, field: str) -> dict:
        """`{field__gte: start, field__lt: end+1}` — a datetime field inside the period."""
        start, end = self.bounds
        return {f"{field}__gte": start, f"{field}__lt": end}

    def dates(self, field: str) -> dict:
        """`{field__gte: start, field__lte: end}` — a date field inside the period."""
        return {f"{field}__gte": self.start, f"{field}__lte": self.end}


@dataclasses.dataclass(frozen=True)
class Figure:
    label: str
    value: object
    unit: str = ""

    def as_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = float(value)
        return {"label": self.label, "value": value, "unit": self.unit}


@dataclasses.dataclass(frozen=True)
class RecordLink:
    label: str
    url: str

    def as_dict(self) -> dict:
        return {"label": self.label, "url": self.url}


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One aspect of a clause: what was counted, whether it meets the rule, and the records that fall short."""

    aspect: str
    status: str
    figures: tuple[Figure, ...] = ()
    note: str = ""
    shortfalls: tuple[RecordLink, ...] = ()
    shortfall_count: int = 0
    records_url: str = ""

    @classmethod
    def none(cls, aspect: str, note: str = "") -> Evidence:
        return cls(aspect=aspect, status=NO_DATA, note=note or "本期无相关记录")

    def as_dict(self) -> dict:
        return {
            "aspect": self.aspect,
            "status": self.status,
            "figures": [figure.as_dict() for figure in self.figures],
            "note": self.note,
            "shortfall_count": self.shortfall_count,
            "shortfalls": [link.as_dict() for link in self.shortfalls],
            "records_url": self.records_url,
        }


def percent(part: int, whole: int) -> Decimal:
    """part/whole in % to one decimal, rounded half up (0 when whole is 0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate(
    aspect: str,
    *,
    good: int,
    total: int,
    target: Decimal | int = 100,
    noun: str = "条",
    good_label: str = "符合",
    shortfalls=(),
    records_url: str = "",
    extra: tuple[Figure, ...] = (),
    note: str = "",
) -> Evidence:
    """A rate aspect: `good` of `total` records meet the rule; met when the rate reaches `target` (%).
    `shortfalls`: (label, url) pairs of the records that do not (the first SHORTFALL_ROWS are listed)."""
    if not total:
        return Evidence.none(aspect, note)
    value = percent(good, total)
    shortfalls = tuple(RecordLink(label, url) for label, url in list(shortfalls)[:SHORTFALL_ROWS])
    return Evidence(
        aspect=aspect,
        status=MET if value >= Decimal(target) else SHORT,
        figures=(
            Figure("记录数", total, noun),
            Figure(good_label, good, noun),
            Figure("比例", value, "%"),
            Figure("目标", Decimal(target), "%"),
            *extra,
        ),
        note=note,
        shortfalls=shortfalls,
        shortfall_count=total - good,
        records_url=records_url,
    )


def count_only(aspect: str, *, count: int, noun: str = "条", records_url: str = "", extra=(), note="") -> Evidence:
    """A record aspect: the records exist (met) or there are none in the period (no_data)."""
    if not count:
        return Evidence.none(aspect, note)
    return Evidence(
        aspect=aspect,
        status=MET,
        figures=(Figure("记录数", count, noun), *extra),
        note=note,
        records_url=records_url,
    )


def none_violating(
    aspect: str,
    *,
    checked: int,
    violations,
    violation_count: int | None = None,
    noun: str = "条",
    records_url: str = "",
    extra=(),
    note="",
) -> Evidence:
    """An enforce aspect: of `checked` records in the period, `violation_count` broke the rule (`violations`: the
    first (label, url) pairs; the count defaults to their number); met only when there are none. Nothing
    checked → no_data with `note`."""
    violations = list(violations)
    count = len(violations) if violation_count is None else violation_count
    if not checked:
        return Evidence.none(aspect, note)
    return Evidence(
        aspect=aspect,
        status=SHORT if count else MET,
        figures=(Figure("检查记录数", checked, noun), Figure("违反", count, noun), *extra),
        shortfalls=tuple(RecordLink(label, url) for label, url in violations[:SHORTFALL_ROWS]),
        shortfall_count=count,
        records_url=records_url,
        note=note,
    )


EVIDENCE: dict[str, list[Callable[[Period], Evidence]]] = {}


def evidence(clause_id: str):
    """Register `function(period) -> Evidence` as evidence for `clause_id` (several per clause are combined)."""

    def register(function):
        EVIDENCE.setdefault(clause_id, []).append(function)
        return function

    return register


def combined_status(items: list[Evidence]) -> str:
    """A clause's status from its aspects: short if any falls short, met if the others have data, else no_data."""
    if any(item.status == SHORT for item in items):
        return SHORT
    if items and any(item.status == MET for item in items):
        return MET
    return NO_DATA
