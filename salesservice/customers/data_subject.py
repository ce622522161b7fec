"""Data-subject requests (PIPL; INF-1, SRV-10): export everything held about a customer, anonymise it.

Both need a dedicated permission, both are audited (timeline event + access log). The customer's data is
spread over the apps; each declares handlers (`core.personal_data`), so the export collects every app's
records and anonymising erases them everywhere — except the records the law requires to keep (TRC-4:
records about a medical device), which are kept with their personal data sealed, shown masked and never
revealed until their retention date. Anonymising is irreversible and keeps the customer row, qualification
numbers, property and incidents, and consent history with the identity replaced.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core import context
from salesservice.core.audit import service
from salesservice.core.events import events_for, record_event
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import PersonalDataAccess
from salesservice.core.personal_data import erase_subject, export_subject

from .choices import EventType
from .models import Customer
from .personal_data import SECTIONS
from .personal_data import value as _value


def _log_access(actor, customer, field: str, purpose: str) -> None:
    ctx = context.current()
    PersonalDataAccess.objects.create(
        user=actor,
        target_type=ContentType.objects.get_for_model(customer),
        target_id=str(customer.pk),
        field=field,
        purpose=purpose[:200],
        remote_addr=ctx.remote_addr,
        via=ctx.via,
    )


@service
def customer_export_data(*, actor, customer: Customer) -> dict:
    """Everything held about `customer`, section by section (PIPL right of access): the customer file under
    its keys (customer, contacts, qualifications, property, incidents, consents, events) and every other app's
    records under `records` ({section label: rows}).

    Needs `customers.export_customer_data`; writes a PersonalDataAccess row and a timeline event.
    """
    if actor is None or not actor.has_perm("customers.export_customer_data"):
        raise PermissionDeniedError("privacy.export_forbidden", _("您的角色无权导出客户个人数据"))
    customer = Customer.objects.visible_to(actor).select_related("store", "sales_rep").filter(pk=customer.pk).first()
    if customer is None:
        from .services import NotFoundError

        raise NotFoundError("customer.not_found", _("客户不存在或不在您的范围内"))
    sections = export_subject(customer)
    data = {"exported_at": _value(timezone.now()), "exported_by": actor.username}
    for key, title in SECTIONS:
        rows = sections.pop(title, [])
        data[key] = rows[0] if key == "customer" else rows
    data["events"] = [
        {"at": _value(e.created_at), "event": e.label, "actor": str(e.actor or ""), "message": e.message}
        for e in events_for(customer, limit=1000)
    ]
    data["records"] = sections  # every other app's records, by section label (售后服务单, 投诉, 退换货单 …)
    _log_access(actor, customer, "export", _("数据主体请求：导出全部个人数据"))
    record_event(event_type=EventType.DATA_EXPORTED, target=customer, actor=actor, new={"code": customer.code})
    return data


SHEETS = [*SECTIONS, ("events", "业务事件")]


def customer_export_workbook(data: dict) -> bytes:
    """The export as an Excel workbook: one sheet per section (the customer file's, then each app's records),
    a header row of field names."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheets = [(_(title), data[key]) for key, title in SHEETS]
    sheets += list((data.get("records") or {}).items())
    used = set()
    for index, (title, rows) in enumerate(sheets):
        name = _sheet_name(title, used, index)
        sheet = workbook.create_sheet(name)
        rows = rows if isinstance(rows, list) else [rows]
        rows = [{**row, "tags": "、".join(row["tags"])} if isinstance(row.get("tags"), list) else row for row in rows]
        headers = list(dict.fromkeys(h for row in rows for h in row))
        sheet.append(headers or [_("（无记录）")])
        for row in rows:
            sheet.append([_cell(row.get(h)) for h in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set, index: int) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    name = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or str(index)
    while name in used:
        name = f"{name[:28]}{index}"
    used.add(name)
    return name


def _cell(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


@service
def customer_anonymise(*, actor, customer_id: int, reason: str) -> Customer:
    """Irreversibly replace a customer's identity everywhere (PIPL deletion request; INF-1).

    Clears name, pinyin, phone, email, address, ID number, notes, preferences and special needs, and the
    contacts' names and contact data; every app erases the customer's data from its records and their history
    (`core.personal_data.erase_subject`), except the records the law requires to keep (TRC-4), which are
    restricted until their retention date. Keeps the customer row, qualification numbers, property and
    incidents, and consent history. Refused without `customers.anonymise_customer` and when already
    anonymised. The returned customer carries `erasure`, the `ErasureReport` (what was erased, what is kept
    until when).
    """
    if actor is None or not actor.has_perm("customers.anonymise_customer"):
        raise PermissionDeniedError("privacy.anonymise_forbidden", _("您的角色无权匿名化客户"))
    if not (reason or "").strip():
        raise DomainError("customer.reason_required", _("请填写匿名化原因"), fields={"reason": [_("必填")]})
    customer = Customer.objects.visible_to(actor).select_for_update().filter(pk=customer_id).first()
    if customer is None:
        from .services import NotFoundError

        raise NotFoundError("customer.not_found", _("客户不存在或不在您的范围内"))
    if customer.is_anonymised:
        raise ConflictError(
            "customer.already_anonymised", _("该客户已于 %(at)s 匿名化") % {"at": customer.anonymised_at}
        )
    report = erase_subject(customer, actor)
    record_event(
        event_type=EventType.ANONYMISED,
        target=customer,
        actor=actor,
        new={"code": customer.code, "contacts": customer.contacts.count(), **report.as_dict()},
        message=reason.strip(),
    )
    customer.erasure = report
    return customer
