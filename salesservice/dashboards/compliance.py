"""The compliance report (issue 16 §4; every "measure" mark of POLICY_CLAUSES.md): for a period and an org unit,
every clause of the inventory with its marks and, per aspect, the evidence computed from the records.

Each app proves its clauses in its `evidence.py` (`core.evidence`). Here: call them all, combine, count. A clause no
app proves yet, or whose evidence finds no record in the period, is `no_data` with a note — never `met`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.utils import timezone

from salesservice.core.evidence import EVIDENCE, MET, NO_DATA, SHORT, STATUS_LABELS, Evidence, Period, combined_status
from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import _scope_root, can_see_unit, visible_unit_ids

from .clauses import Clause, clauses, inventory_version
from .errors import DashboardsErrorCode as E

logger = logging.getLogger(__name__)
MAX_DAYS = 3 * 366


@dataclasses.dataclass
class ClauseResult:
    clause: Clause
    status: str
    evidence: list[Evidence]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        return {
            "id": self.clause.id,
            "area": self.clause.area,
            "title": self.clause.title,
            "text": self.clause.text,
            "source": self.clause.source,
            "marks": list(self.clause.marks),
            "status": self.status,
            "evidence": [item.as_dict() for item in self.evidence],
        }


@dataclasses.dataclass
class Report:
    period: Period
    as_of: dt.datetime
    inventory_version: str
    results: list[ClauseResult]

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def summary(self) -> dict:
        return {
            "clauses": len(self.results),
            MET: self.count(MET),
            SHORT: self.count(SHORT),
            NO_DATA: self.count(NO_DATA),
        }

    def as_dict(self) -> dict:
        unit = self.period.unit
        return {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "unit": unit.pk if unit else None,
            "unit_name": unit.name if unit else "全公司",
            "as_of": self.as_of.isoformat(),
            "inventory_version": self.inventory_version,
            "summary": self.summary,
            "clauses": [result.as_dict() for result in self.results],
        }


NOT_PROVEN = "尚无取证规则：系统还不能从记录证明本条款"
FAILED = "取证出错，已记录日志"


def _evaluate(clause: Clause, period: Period, memo: dict) -> ClauseResult:
    functions = EVIDENCE.get(clause.id, [])
    if not functions:
        return ClauseResult(clause, NO_DATA, [Evidence.none("—", NOT_PROVEN)])
    items = []
    for function in functions:
        try:
            if function not in memo:  # one function may prove several clauses (SUV-1 and SUV-3): run it once
                memo[function] = function(period)
            items.append(memo[function])
        except Exception:  # one broken rule must not hide the other 88 clauses; it reads as no_data, not met
            logger.exception("compliance evidence %s for %s failed", function.__qualname__, clause.id)
            items.append(Evidence.none(function.__doc__.splitlines()[0] if function.__doc__ else "—", FAILED))
    return ClauseResult(clause, combined_status(items), items)


def compliance_report(period: Period, *, only: set[str] | None = None, now: dt.datetime | None = None) -> Report:
    """Every clause (or those in `only`) for `period`, in inventory order."""
    memo: dict = {}
    results = [_evaluate(clause, period, memo) for clause in clauses() if only is None or clause.id in only]
    return Report(period, now or timezone.now(), inventory_version(), results)


def default_unit(user):
    """The unit a report opens on: the whole company (None) for HQ, else the unit the user's first membership sees."""
    if user.is_superuser or visible_unit_ids(user) is None:
        return None
    membership = user.memberships.select_related("org_unit__parent").order_by("id").first()
    return _scope_root(membership.org_unit) if membership else None


def report_period(user, *, start, end, unit_id=None) -> Period:
    """Parse and check a request's period and unit (strings or values): dates valid and ordered, at most 3 years,
    the unit in the user's scope (else 404). No unit: `default_unit(user)`."""
    try:
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        end = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
    except (TypeError, ValueError):
        raise DomainError(E.PERIOD_INVALID, str(E.PERIOD_INVALID.label), fields={"start": ["无效日期"]}) from None
    if start > end:
        raise DomainError(E.PERIOD_INVALID, str(E.PERIOD_INVALID.label), fields={"end": ["不能早于开始日期"]})
    if (end - start).days > MAX_DAYS:
        raise DomainError(E.PERIOD_TOO_LONG, str(E.PERIOD_TOO_LONG.label), fields={"end": ["期间过长"]})
    if unit_id in (None, ""):
        unit = default_unit(user)
    else:
        try:
            unit = OrgUnit.objects.get(pk=int(unit_id))
        except (TypeError, ValueError, OrgUnit.DoesNotExist):
            raise NotFoundError(E.UNIT_NOT_FOUND, str(E.UNIT_NOT_FOUND.label)) from None
        if not can_see_unit(user, unit.pk):
            raise NotFoundError(E.UNIT_NOT_FOUND, str(E.UNIT_NOT_FOUND.label))
    return Period(start, end, unit)
