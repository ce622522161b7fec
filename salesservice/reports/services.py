"""Generating, delivering and downloading the scheduled reports (issue 16 §2).

`reports_generate(kind=…, now=…)` is what the beat jobs call: the previous period of `now` for every org unit the
kind is produced for, each unit in its own transaction — a unit whose figures fail is recorded as a failed run and
the others go on. `report_generate` makes one unit's report once: a second run finds the archived one and returns
it unchanged (a failed one is retried). Each recipient gets an in-app notification linking to the report and a
`ReportDelivery` row; every download writes a `ReportDownload` (the download history).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.evidence import Period
from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.notifications import notify
from salesservice.core.scoping import can_see_unit, is_hq

from .choices import EventType, ReportFormat, ReportKind, RunOutcome
from .errors import ReportsErrorCode as E
from .kinds import level_of, recipients_for, spec, units_for
from .models import ReportDelivery, ReportDownload, ReportRun
from .render import render_pdf, render_xlsx

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _existing(kind: str, start: dt.date, unit):
    return ReportRun.objects.filter(kind=kind, period_start=start, org_unit=unit).first()


def _meta(run: ReportRun) -> dict:
    unit = run.org_unit.code if run.org_unit_id else "HQ"
    return {
        "title": str(ReportKind(run.kind).label),
        "number": f"{run.period_start:%Y%m%d}-{unit}",
        "unit_name": run.unit_name,
        "start": run.period_start.isoformat(),
        "end": run.period_end.isoformat(),
        "as_of": run.as_of,
        "generated_at": run.generated_at,
    }


def _filename(run: ReportRun, fmt: str) -> str:
    unit = run.org_unit.code if run.org_unit_id else "company"
    return f"{run.kind}-{run.period_start:%Y%m%d}-{unit}.{fmt}"


def check_unit_level(kind: str, unit) -> None:
    """The kind must be produced for the unit's level (the monthly management report has no store edition)."""
    if level_of(unit) not in spec(kind).levels:
        raise NotFoundError(E.UNIT_NOT_FOUND, str(E.UNIT_NOT_FOUND.label))


@service
def report_generate(
    *, actor=None, kind: str, unit=None, today: dt.date | None = None, now: dt.datetime | None = None
) -> ReportRun:
    """One report: `kind` for the period before `today` (default: `now`'s local date) and `unit` (None: the company).
    Idempotent: an archived report is returned unchanged; a failed one is computed again. The figures are read at
    `now`, rendered to PDF and Excel and stored; the recipients of the unit's level are told. An exception while
    computing or rendering propagates — `reports_generate` records it as a failed run."""
    if kind not in ReportKind.values:
        raise DomainError(E.INVALID_KIND, str(E.INVALID_KIND.label), fields={"kind": [_("无效的选项")]})
    if actor is not None:
        if not actor.has_perm("reports.generate_report"):
            raise PermissionDeniedError(E.FORBIDDEN, str(E.FORBIDDEN.label))
        if (unit is None and not is_hq(actor)) or (unit is not None and not can_see_unit(actor, unit.pk)):
            raise NotFoundError(E.UNIT_NOT_FOUND, str(E.UNIT_NOT_FOUND.label))
    check_unit_level(kind, unit)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    start, end = spec(kind).period(today)
    found = _existing(kind, start, unit)
    if found is not None and found.outcome == RunOutcome.DONE:
        return found
    figures = spec(kind).compute(Period(start, end, unit), now)
    run = found or ReportRun(kind=kind, period_start=start, period_end=end, org_unit=unit)
    run.as_of, run.generated_at, run.generated_by = now, timezone.now(), actor
    run.figures, run.error, run.outcome = figures, "", RunOutcome.DONE
    meta = _meta(run)
    pdf, xlsx = render_pdf(meta, figures), render_xlsx(meta, figures)
    try:
        with transaction.atomic():  # two runs at once (a retried job): one insert wins
            run.pdf.save(_filename(run, "pdf"), ContentFile(pdf), save=False)
            run.xlsx.save(_filename(run, "xlsx"), ContentFile(xlsx), save=False)
            run.save()
    except IntegrityError:
        return ReportRun.objects.get(kind=kind, period_start=start, org_unit=unit)
    record_event(event_type=EventType.GENERATED, target=run, actor=actor, new={"kind": kind, "start": str(start)})
    _deliver(run)
    return run


def _deliver(run: ReportRun) -> list[ReportDelivery]:
    """An in-app notification to each recipient of the unit's level, and a delivery row (once per recipient)."""
    people = recipients_for(run.kind, run.org_unit)
    already = set(run.deliveries.values_list("recipient_id", flat=True))
    people = [person for person in people if person.pk not in already]
    if not people:
        return []
    title = _("%(kind)s %(period)s · %(unit)s 已生成") % {
        "kind": run.get_kind_display(),
        "period": run.period_label,
        "unit": run.unit_name,
    }
    notify(recipients=people, title=title, url=run.get_absolute_url(), kind="reports.run")
    at = timezone.now()
    return ReportDelivery.objects.bulk_create(
        [ReportDelivery(run=run, recipient=person, notified_at=at) for person in people]
    )


@service
def report_record_failure(*, actor=None, kind: str, unit, today: dt.date, now: dt.datetime, error: str) -> ReportRun:
    """A unit's report that could not be made: archived as failed with the error, so the archive shows the gap
    and the next run of the job retries it."""
    start, end = spec(kind).period(today)
    run = _existing(kind, start, unit) or ReportRun(kind=kind, period_start=start, period_end=end, org_unit=unit)
    if run.pk and run.outcome == RunOutcome.DONE:
        return run
    run.as_of, run.generated_at, run.generated_by = now, timezone.now(), actor
    run.outcome, run.error, run.figures = RunOutcome.FAILED, error[:4000], {}
    run.save()
    record_event(event_type=EventType.FAILED, target=run, actor=actor, message=error[:300])
    return run


@dataclass
class GenerateResult:
    runs: list[ReportRun]
    failed: list[ReportRun]


def reports_generate(
    *, kind: str, now: dt.datetime | None = None, today: dt.date | None = None, actor=None, units=None
) -> GenerateResult:
    """Every unit's report of `kind` for the period before `today` (default: `now`'s local date). One unit's
    failure is logged and recorded, and does not stop the others."""
    if kind not in ReportKind.values:
        raise DomainError(E.INVALID_KIND, str(E.INVALID_KIND.label), fields={"kind": [_("无效的选项")]})
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    runs, failed = [], []
    for unit in units if units is not None else units_for(kind):
        try:
            runs.append(report_generate(actor=actor, kind=kind, unit=unit, today=today, now=now))
        except Exception as error:  # one unit's broken figures must not stop the others
            logger.exception("report %s for %s failed", kind, unit)
            failed.append(
                report_record_failure(
                    actor=actor, kind=kind, unit=unit, today=today, now=now, error=f"{type(error).__name__}: {error}"
                )
            )
    return GenerateResult(runs, failed)


@service
def report_download(*, actor, run: ReportRun, fmt: str) -> tuple[bytes, str, str]:
    """The stored file of a report the actor may see (the caller fetched `run` through `visible_to`): bytes,
    content type, filename. Logged in the download history; the actor's delivery is marked downloaded."""
    if fmt not in ReportFormat.values:
        raise DomainError(E.INVALID_FORMAT, str(E.INVALID_FORMAT.label), fields={"format": [_("无效的选项")]})
    stored = run.file_of(fmt)
    if run.outcome != RunOutcome.DONE or not stored:
        raise NotFoundError(E.NOT_GENERATED, str(E.NOT_GENERATED.label))
    with stored.open("rb") as handle:
        content = handle.read()
    at = timezone.now()
    ReportDownload.objects.create(run=run, user=actor, fmt=fmt, at=at)
    ReportDelivery.objects.filter(run=run, recipient=actor, downloaded_at__isnull=True).update(downloaded_at=at)
    record_event(event_type=EventType.DOWNLOADED, target=run, actor=actor, new={"format": fmt})
    return content, CONTENT_TYPES[fmt], _filename(run, fmt)


def report_mark_read(*, actor, run: ReportRun) -> None:
    """The recipient opened the report page: their delivery is read (the first time only)."""
    ReportDelivery.objects.filter(run=run, recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def manual_generate(*, actor, kind: str, day, unit_id=None) -> ReportRun:
    """「立即生成」 from a page or the API: parse the date and unit (in the actor's scope, else 404), then
    `report_generate` the report of the period before that date."""
    from salesservice.core.models import OrgUnit

    if kind not in ReportKind.values:
        raise DomainError(E.INVALID_KIND, str(E.INVALID_KIND.label), fields={"kind": [_("无效的选项")]})
    if not isinstance(day, dt.date):
        try:
            day = dt.date.fromisoformat(str(day))
        except ValueError:
            raise DomainError(E.INVALID_DATE, str(E.INVALID_DATE.label), fields={"date": [_("无效日期")]}) from None
    unit = None
    if unit_id not in (None, ""):
        try:
            unit = OrgUnit.objects.get(pk=int(unit_id))
        except (TypeError, ValueError, OrgUnit.DoesNotExist):
            raise NotFoundError(E.UNIT_NOT_FOUND, str(E.UNIT_NOT_FOUND.label)) from None
    now = timezone.now()
    if spec(kind).period(day)[1] >= timezone.localdate(now):
        raise DomainError(E.PERIOD_NOT_OVER, str(E.PERIOD_NOT_OVER.label), fields={"date": [_("期间尚未结束")]})
    return report_generate(actor=actor, kind=kind, unit=unit, today=day, now=now)
