"""The provider's case file 网点售后案宗 (NET-2, NET-3, NET-4, NET-5; seed 004: 对各外协售后网点周、月汇总的售后投诉
案例，建立网点售后案宗，作为评价网点、综合考评网点的重要依据).

One list per provider, in time order: its violations (complaint cases), the sanction notices, its lines of the
weekly reports and monthly roll-ups, the technicians' training per quarter with the pass rate, the stop and
contract-end proposals, the region evaluations, and the status changes. Read by the page
`/network/providers/<pk>/case-file/` (printable) and `GET /api/v1/service-providers/{id}/case-file/`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.choices import EventType as CoreEventType
from salesservice.core.models import Event

from .choices import EvaluationItem, EventType, ProviderStatus
from .models import ProviderReport, ServiceProvider, TechnicianTraining

PROVIDER_EVENTS = (
    CoreEventType.STATUS_CHANGED,
    EventType.TECHNICIAN_STOPPED,
    EventType.CONTRACT_END_PROPOSED,
)


@dataclass
class Entry:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    reference: str = ""

    def as_dict(self) -> dict:
        return {
            "at": timezone.localtime(self.at).isoformat(),
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "reference": self.reference,
        }


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def training_quarters(provider) -> list[dict]:
    """Per quarter: trained, passed, pass rate, flagged (the archived close when there is one) and the results."""
    from .training import below_minimum, pass_rate, rate_minimum

    results: dict[str, list] = defaultdict(list)
    for row in (
        TechnicianTraining.objects.filter(provider=provider).select_related("technician").order_by("technician__name")
    ):
        results[row.quarter].append(row)
    archived = {q.quarter: q for q in provider.training_quarters.all()}
    minimum = rate_minimum()
    quarters = []
    for quarter in sorted(set(results) | set(archived), reverse=True):
        rows, closed = results.get(quarter, []), archived.get(quarter)
        trained, passed = len(rows), sum(1 for r in rows if r.passed)
        rate = pass_rate(trained, passed)
        quarters.append(
            {
                "quarter": quarter,
                "trained": trained,
                "passed": passed,
                "pass_rate": rate,
                "flagged": closed.flagged if closed else below_minimum(rate, minimum),
                "closed": closed is not None,
                "untrained": closed.untrained if closed else [],
                "results": [
                    {
                        "technician": r.technician.name,
                        "trained_on": r.trained_on,
                        "topic": r.topic,
                        "score": r.score,
                        "passed": r.passed,
                    }
                    for r in rows
                ],
            }
        )
    return quarters


def case_file(provider: ServiceProvider) -> list[Entry]:
    """Everything on the provider's record, oldest first (a handful of queries)."""
    entries: list[Entry] = []
    items = dict(EvaluationItem.choices)
    for v in provider.violations.all():
        entries.append(
            Entry(
                _at(v.occurred_on),
                "violation",
                _("违规：%(item)s") % {"item": items.get(v.item, v.item)},
                v.description,
            )
        )
    for s in provider.sanctions.all():
        entries.append(Entry(s.issued_at, "sanction", f"{ProviderStatus(s.rung).label} {s.number}", s.notice, s.number))
    for report in ProviderReport.objects.filter(period_end__gte=timezone.localdate(provider.created_at)).order_by(
        "period_start"
    ):
        row = next((r for r in report.rows if r.get("provider") == provider.pk), None)
        if row is None:
            continue
        detail = _("投诉案例 %(c)s 件；当月累计 %(m)s 次；累计 %(t)s 次") % {
            "c": row.get("cases", 0),
            "m": row.get("month_count", 0),
            "t": row.get("cumulative", 0),
        }
        if row.get("proposal"):
            detail += _("；处理建议：%(p)s") % {"p": row["proposal"]}
        if row.get("training_pass_rate") not in (None, ""):
            detail += _("；%(q)s 培训合格率 %(r)s%%") % {
                "q": row.get("training_quarter", ""),
                "r": row["training_pass_rate"],
            }
        entries.append(
            Entry(
                _at(report.period_end),
                "report",
                f"{report.get_kind_display()} {report.period_start}–{report.period_end}",
                detail,
            )
        )
    for q in training_quarters(provider):
        _start, end = _quarter_end(q["quarter"])
        rate = f"{q['pass_rate']}%" if q["pass_rate"] is not None else "—"
        detail = "；".join(
            f"{r['technician']} {r['score']} {'合格' if r['passed'] else '不合格'}" for r in q["results"]
        )
        if q["untrained"]:
            detail += _("；未参训：%(n)s") % {"n": "、".join(t["name"] for t in q["untrained"])}
        title = _("%(q)s 技师培训：%(p)s/%(t)s 合格，合格率 %(r)s") % {
            "q": q["quarter"],
            "p": q["passed"],
            "t": q["trained"],
            "r": rate,
        }
        if q["flagged"]:
            title += _("（低于下限）")
        days = [r["trained_on"] for r in q["results"]]
        entries.append(Entry(_at(max(days) if days and not q["closed"] else end), "training", title, detail))
    for e in provider.evaluations.all():
        entries.append(
            Entry(
                e.created_at,
                "evaluation",
                _("区域评价 %(n)s：%(c)s（%(s)s）")
                % {"n": e.number, "c": e.get_conclusion_display(), "s": e.get_status_display()},
                e.comment,
                e.number,
            )
        )
    ct = ContentType.objects.get_for_model(ServiceProvider)
    for ev in Event.objects.filter(target_type=ct, target_id=str(provider.pk), event_type__in=PROVIDER_EVENTS).order_by(
        "id"
    ):
        if ev.event_type == CoreEventType.STATUS_CHANGED:
            old, new = (ev.old or {}).get("status", ""), (ev.new or {}).get("status", "")
            title = _("状态变更：%(o)s → %(n)s") % {"o": _label(old), "n": _label(new)}
            kind = "status"
        else:
            title, kind = str(EventType(ev.event_type).label), ev.event_type.split(".", 1)[1]
        entries.append(Entry(ev.created_at, kind, title, ev.message))
    entries.sort(key=lambda entry: entry.at)
    return entries


def _label(status: str) -> str:
    return str(ProviderStatus(status).label) if status in ProviderStatus.values else status


def _quarter_end(quarter: str):
    from .training import quarter_bounds

    return quarter_bounds(quarter)
