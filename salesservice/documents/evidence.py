"""Compliance evidence of document control (DOC-1, issue 16 §4):

- every policy value changed in the period was set by an approved (or issued) document version — enforce;
- the issued versions were acknowledged by the roles concerned (those past the reminder period) — rate;
- documents issued in the period — record.

A period with none of these records is no_data, never met.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence, none_violating, rate
from salesservice.core.models import PolicyValue
from salesservice.core.policy import policy_value

from .choices import AUTHORISING_STATUSES, VersionStatus
from .models import Acknowledgement, DocumentVersion

WAS_APPROVED = (*AUTHORISING_STATUSES, VersionStatus.SUPERSEDED)


@evidence("DOC-1")
def policy_changes_backed_by_documents(period: Period) -> Evidence:
    """政策参数变更均依据已批准的受控文件版本"""
    # Version 1 of each parameter is the seed's default; every later one is a change.
    changes = list(
        PolicyValue.objects.filter(number__gt=1, **period.during("created_at"))
        .select_related("parameter")
        .order_by("created_at")
    )
    refs = {value.document_ref for value in changes if value.document_ref}
    approved = {
        pk: (approved_at, clauses)
        for pk, approved_at, clauses in (
            (v.pk, v.approved_at, set(v.document.clause_ids))
            for v in DocumentVersion.objects.filter(pk__in=refs, status__in=WAS_APPROVED)
            .select_related("document")
            .prefetch_related("document__clauses")
        )
    }
    bad = []
    for value in changes:
        backing = approved.get(value.document_ref)
        if (
            backing is None
            or backing[0] is None
            or backing[0] > value.created_at
            or value.parameter.source_clause not in backing[1]
        ):
            bad.append(value)
    return none_violating(
        "政策参数变更均依据已批准的受控文件版本",
        checked=len(changes),
        violations=[
            (f"{v.parameter.name} v{v.number}", reverse("core:policy-detail", args=[v.parameter.key])) for v in bad
        ],
        noun="次",
        records_url=reverse("core:policies"),
        note="本期无政策参数变更",
    )


@evidence("DOC-1")
def issued_versions_acknowledged(period: Period) -> Evidence:
    """发布的文件版本经须阅读的岗位确认"""
    now = timezone.now()
    start, end = period.bounds
    days = int(policy_value("documents.ack_reminder_days", min(end, now)))
    due_before = min(end, now) - dt.timedelta(days=days)
    rows = Acknowledgement.objects.in_unit(period.unit).filter(
        version__issued_at__gte=start, version__issued_at__lt=end, version__issued_at__lte=due_before
    )
    total = rows.count()
    unread = rows.filter(acknowledged_at__isnull=True).select_related("version__document", "user").order_by("pk")
    return rate(
        "发布的文件版本经须阅读的岗位确认",
        good=total - unread.count(),
        total=total,
        noun="人次",
        good_label="已确认阅读",
        shortfalls=[
            (f"{r.version} · {r.user.name}", reverse("documents:version-detail", args=[r.version_id]))
            for r in unread[:20]
        ],
        records_url=reverse("documents:documents"),
        note="本期发布的文件尚未到确认期限或没有须阅读的人员",
        extra=(Figure("确认期限", days, "天"),),
    )


@evidence("DOC-1")
def documents_issued(period: Period) -> Evidence:
    """本期发布的受控文件版本"""
    issued = DocumentVersion.objects.in_unit(period.unit).filter(**period.during("issued_at"))
    superseded = DocumentVersion.objects.in_unit(period.unit).filter(
        status=VersionStatus.SUPERSEDED, **period.during("retired_at")
    )
    return count_only(
        "本期发布的受控文件版本",
        count=issued.count(),
        noun="版",
        records_url=reverse("documents:documents"),
        extra=(Figure("被替代/废止", superseded.count(), "版"),),
    )
