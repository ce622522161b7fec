"""Every write of the pre-sales part of the sales app: inquiries, product claims, tenders, sales-rep
authorisation letters and annual sales plans.

Services run in one transaction (`@service`), lock what they change, check permission and scope (out of
scope → 404), the version (stale → 409), the step (`WORKFLOW.check`; a status changes only through
`WORKFLOW.move`) and record a timeline event. Clauses:

- PRE-1: an inquiry (phone / online / walk-in / email) records the customer's needs and special requirements,
  is routed to the department concerned and has a reply clock (`sales.inquiry_reply_hours`); an inquiry past
  its reply time unanswered is reminded once (`inquiry_remind_overdue`).
- PRE-2: product claims shown to customers are QA-approved (`claim_approve`, never by the author).
- PRE-3: the answer records whether the needs were confirmed with the customer (`needs_confirmed`).
- SAL-3: a tender is reported to the general manager before it is bid, and tracked to award and contract.
- BUY-2: sales-rep authorisation letters with scope and validity; revoked with a reason; expiry reminded.
- SAL-4: the annual plan of a unit from last year's actual sales and the company target, with 12 monthly
  targets, approved by the general manager (not its author).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.core.scoping import can_see_unit

from .choices import ClaimStatus as CL
from .choices import Department, EventType
from .choices import InquiryStatus as IQ
from .choices import TenderStatus as T
from .models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, SalesPlanMonth, Tender
from .presales_errors import PresalesErrorCode as E
from .presales_selectors import sales_actual
from .presales_workflows import CLAIM_WORKFLOW, INQUIRY_WORKFLOW, TENDER_WORKFLOW

# Who answers for an inquiry routed to a department (PRE-1): first the holders at or above the inquiry's
# unit, else those at HQ (the company and its departments).
DEPARTMENT_ROLES = {
    Department.SALES: ("sales_rep", "store_manager"),
    Department.SERVICE: ("cs_supervisor", "service_manager"),
    Department.QUALITY: ("qa_inspector",),
    Department.WAREHOUSE: ("warehouse_clerk",),
    Department.PURCHASING: ("purchasing_manager",),
    Department.COMMERCE: ("region_manager", "general_manager"),
}
CENT = Decimal("0.01")


def _reason_required(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("请填写理由"), fields={field: [_("必填")]})
    return reason[:300]


def unit_of(actor):
    """The org unit a record made by `actor` belongs to by default: the actor's first membership's unit."""
    found = actor.memberships.select_related("org_unit").order_by("id").first() if actor is not None else None
    return found.org_unit if found else None


def _unit_in_scope(actor, org_unit):
    if org_unit is None or (actor is not None and not can_see_unit(actor, org_unit.pk)):
        raise PermissionDeniedError(
            E.UNIT_OUT_OF_SCOPE, _("单位不在您的管辖范围内"), fields={"org_unit": [_("超出范围")]}
        )
    return org_unit


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


# --- inquiries (PRE-1, PRE-3) ---------------------------------------------------------------


def department_holders(department: str, org_unit) -> list:
    """PRE-1: the people of `department` who answer for an inquiry of `org_unit`."""
    roles = DEPARTMENT_ROLES.get(department, ("store_manager",))
    return holders(roles, org_unit) or holders(roles, hq=True)


def _inquiry_recipients(inquiry) -> list:
    if inquiry.assignee_id and inquiry.assignee.is_active:
        return [inquiry.assignee]
    return department_holders(inquiry.department, inquiry.org_unit)


def reply_due(received_at: dt.datetime) -> dt.datetime:
    """PRE-1: the moment an inquiry received at `received_at` must be answered by (policy in force then)."""
    try:
        hours = policy_value("sales.inquiry_reply_hours", received_at)
    except DomainError:  # recorded as received before the parameter existed: the value in force now
        hours = policy_value("sales.inquiry_reply_hours")
    return received_at + dt.timedelta(hours=float(hours))


def _get_inquiry(actor, inquiry_id) -> Inquiry:
    return scoped_get(Inquiry, actor, inquiry_id, code=E.INQUIRY_NOT_FOUND, message=_("咨询单不存在或不在您的范围内"))


@service
def inquiry_create(
    *,
    actor,
    channel: str,
    needs: str,
    customer=None,
    prospect_name: str = "",
    prospect_phone: str = "",
    product=None,
    special_requirements: str = "",
    department: str = Department.SALES,
    assignee=None,
    received_at: dt.datetime | None = None,
    org_unit=None,
) -> Inquiry:
    """PRE-1: register a customer inquiry with its needs and special requirements, routed to a department, with
    its reply clock started (`reply_due_at` = received + `sales.inquiry_reply_hours`). An existing customer must
    be in the actor's scope; a prospect is recorded by name and phone (personal data, masked in lists)."""
    require_perm(actor, "sales.add_inquiry")
    prospect_name, prospect_phone = (prospect_name or "").strip(), (prospect_phone or "").strip()
    needs = (needs or "").strip()
    if customer is not None:
        from salesservice.customers.models import Customer

        if actor is not None and not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
            raise NotFoundError(
                E.INQUIRY_CUSTOMER_OUT_OF_SCOPE, _("客户不在您的范围内"), fields={"customer": [_("超出范围")]}
            )
    elif not (prospect_name and prospect_phone):
        raise DomainError(
            E.INQUIRY_CONTACT_REQUIRED,
            _("请选择客户，或填写咨询人姓名和电话"),
            fields={"prospect_name": [_("必填")], "prospect_phone": [_("必填")]},
        )
    if not needs:
        raise DomainError(E.INQUIRY_NEEDS_REQUIRED, _("请记录客户需求"), fields={"needs": [_("必填")]})
    if org_unit is None:
        org_unit = customer.store if customer is not None else unit_of(actor)
    _unit_in_scope(actor, org_unit)
    received_at = checked_moment(received_at, prefix="inquiry")
    inquiry = Inquiry(
        number=next_number("inquiry", series=dict(name="客户咨询", prefix="INQ", reset="daily")),
        org_unit=org_unit,
        customer=customer,
        prospect_name=prospect_name[:100],
        prospect_phone=prospect_phone[:30],
        channel=channel,
        product=product,
        needs=needs,
        special_requirements=(special_requirements or "").strip(),
        department=department or Department.SALES,
        assignee=assignee,
        received_at=received_at,
        reply_due_at=reply_due(received_at),
        created_by=actor,
    )
    INQUIRY_WORKFLOW.initial(inquiry, IQ.OPEN)
    inquiry.save()
    record_event(
        event_type=EventType.INQUIRY_CREATED,
        target=inquiry,
        actor=actor,
        new={"department": inquiry.department, "assignee": assignee.pk if assignee else None},
    )
    recipients = [user for user in _inquiry_recipients(inquiry) if user != actor]
    notify(
        recipients=recipients,
        title=_("新客户咨询待答复：%(number)s（%(due)s 前）")
        % {"number": inquiry.number, "due": timezone.localtime(inquiry.reply_due_at).strftime("%m-%d %H:%M")},
        body=inquiry.special_requirements,
        url=_url("sales:inquiry-detail", inquiry.pk),
        kind="sales.inquiry_created",
    )
    return inquiry


@service
def inquiry_route(
    *, actor, inquiry_id, department: str, assignee=None, note: str = "", expected_version=None
) -> Inquiry:
    """PRE-1: pass the inquiry (and its special requirements) to the department concerned and/or a person;
    they are notified."""
    require_perm(actor, "sales.change_inquiry")
    inquiry = _get_inquiry(actor, inquiry_id)
    check_version(inquiry, expected_version)
    INQUIRY_WORKFLOW.check(inquiry, "route")
    old = {"department": inquiry.department, "assignee": inquiry.assignee_id}
    new = {"department": department or inquiry.department, "assignee": assignee.pk if assignee else None}
    if old == new:
        raise DomainError(
            E.INQUIRY_ROUTE_UNCHANGED, _("转交部门和负责人均未改变"), fields={"department": [_("未改变")]}
        )
    inquiry.department = new["department"]
    inquiry.assignee = assignee
    inquiry.reminded_at = None  # the new owner gets the overdue reminder again
    inquiry.version += 1
    inquiry.save(update_fields=["department", "assignee", "reminded_at", "version", "updated_at"])
    record_event(event_type=EventType.INQUIRY_ROUTED, target=inquiry, actor=actor, old=old, new=new, message=note[:300])
    notify(
        recipients=[user for user in _inquiry_recipients(inquiry) if user != actor],
        title=_("客户咨询转交给您：%(number)s") % {"number": inquiry.number},
        body="\n".join(filter(None, [inquiry.needs, inquiry.special_requirements, note])),
        url=_url("sales:inquiry-detail", inquiry.pk),
        kind="sales.inquiry_routed",
    )
    return inquiry


@service
def inquiry_answer(*, actor, inquiry_id, reply: str, needs_confirmed: bool = False, expected_version=None) -> Inquiry:
    """PRE-1: the reply to the customer (an answered inquiry may be answered again, adding to the reply);
    PRE-3: `needs_confirmed` records that the needs were confirmed with the customer (it stays confirmed)."""
    require_perm(actor, "sales.change_inquiry")
    reply = (reply or "").strip()
    if not reply:
        raise DomainError(E.INQUIRY_REPLY_REQUIRED, _("请填写答复内容"), fields={"reply": [_("必填")]})
    inquiry = _get_inquiry(actor, inquiry_id)
    check_version(inquiry, expected_version)
    INQUIRY_WORKFLOW.check(inquiry, "answer")
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    inquiry.reply = f"{inquiry.reply}\n[{stamp}] {reply}".strip() if inquiry.reply else reply
    inquiry.replied_at = inquiry.replied_at or now
    inquiry.needs_confirmed = inquiry.needs_confirmed or bool(needs_confirmed)
    fields = ("reply", "replied_at", "needs_confirmed")
    if inquiry.status == IQ.OPEN:
        INQUIRY_WORKFLOW.move(inquiry, IQ.ANSWERED, actor=actor, fields=fields)
    else:
        inquiry.version += 1
        inquiry.save(update_fields=[*fields, "version", "updated_at"])
    record_event(
        event_type=EventType.INQUIRY_ANSWERED,
        target=inquiry,
        actor=actor,
        new={"needs_confirmed": inquiry.needs_confirmed, "on_time": inquiry.replied_at <= inquiry.reply_due_at},
        message=reply[:300],
    )
    return inquiry


@service
def inquiry_close(*, actor, inquiry_id, reason: str = "", expected_version=None) -> Inquiry:
    """PRE-1: close an inquiry that leads nowhere (the customer bought elsewhere, a duplicate …) with a reason."""
    require_perm(actor, "sales.change_inquiry")
    reason = _reason_required(reason)
    inquiry = _get_inquiry(actor, inquiry_id)
    check_version(inquiry, expected_version)
    INQUIRY_WORKFLOW.check(inquiry, "close")
    inquiry.close_reason = reason
    INQUIRY_WORKFLOW.move(inquiry, IQ.CLOSED, actor=actor, reason=reason, fields=("close_reason",))
    record_event(event_type=EventType.INQUIRY_CLOSED, target=inquiry, actor=actor, message=reason)
    return inquiry


@service
def inquiry_mark_quoted(*, actor, inquiry, quotation=None) -> Inquiry:
    """PRE-1/PRE-3: a quotation was made from the inquiry — called by the quotation service inside its own
    transaction; moves open/answered → quoted (409 `inquiry.not_quotable` otherwise) and writes the event."""
    require_perm(actor, "sales.add_quotation")
    locked = scoped_get(Inquiry, actor, inquiry, code=E.INQUIRY_NOT_FOUND, message=_("咨询单不存在或不在您的范围内"))
    if not INQUIRY_WORKFLOW.allows(locked, "quote"):
        raise ConflictError(E.INQUIRY_NOT_QUOTABLE, _("咨询已关闭或已报价，不能再生成报价"))
    number = getattr(quotation, "number", "") or ""
    INQUIRY_WORKFLOW.move(locked, IQ.QUOTED, actor=actor, reason=number)
    record_event(event_type=EventType.QUOTATION_CREATED, target=locked, actor=actor, new={"quotation": number})
    if isinstance(inquiry, Inquiry) and inquiry is not locked:
        inquiry.refresh_from_db(fields=["status", "version", "updated_at"])  # the caller's copy follows the move
    return locked


def inquiry_remind_overdue(*, actor=None, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """PRE-1: remind the assignee (else the department's people) once when an open inquiry passes its reply
    time unanswered; `reminded_at` marks it so the next sweep skips it. Cost follows the number due."""
    now = now or timezone.now()
    due = list(
        Inquiry.objects.filter(status=IQ.OPEN, reply_due_at__lte=now, reminded_at__isnull=True)
        .select_related("assignee", "org_unit")
        .order_by("reply_due_at")[:limit]
    )
    sent = 0
    for inquiry in due:
        with transaction.atomic():
            # claim it first: two sweeps at once must not both remind
            if not Inquiry.objects.filter(pk=inquiry.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            notify(
                recipients=_inquiry_recipients(inquiry),
                title=_("客户咨询超时未答复：%(number)s（应于 %(due)s 前答复）")
                % {"number": inquiry.number, "due": timezone.localtime(inquiry.reply_due_at).strftime("%m-%d %H:%M")},
                body=inquiry.needs[:200],
                url=_url("sales:inquiry-detail", inquiry.pk),
                level="warning",
                kind="sales.inquiry_overdue",
            )
            sent += 1
    return sent


# --- product claims (PRE-2) -----------------------------------------------------------------


def _get_claim(claim_id) -> ProductClaim:
    try:
        return ProductClaim.objects.select_for_update(of=("self",)).get(pk=claim_id)
    except (ProductClaim.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(E.CLAIM_NOT_FOUND, _("宣传用语不存在")) from None


@service
def claim_submit(*, actor, product, text: str, evidence: str = "") -> ProductClaim:
    """PRE-2: sales propose a claim about a product with its evidence; QA is asked to approve it."""
    require_perm(actor, "sales.add_productclaim")
    text = (text or "").strip()
    if not text:
        raise DomainError(E.CLAIM_TEXT_REQUIRED, _("请填写宣传内容"), fields={"text": [_("必填")]})
    claim = ProductClaim(product=product, text=text, evidence=(evidence or "").strip()[:300], submitted_by=actor)
    CLAIM_WORKFLOW.initial(claim, CL.PENDING)
    claim.save()
    record_event(event_type=EventType.CLAIM_SUBMITTED, target=claim, actor=actor, new={"product": product.pk})
    notify(
        recipients=[user for user in holders("qa_inspector") if user != actor],
        title=_("产品宣传用语待审核：%(product)s") % {"product": product.name},
        body=text[:200],
        url=_url("sales:productclaim-detail", claim.pk),
        kind="sales.claim_submitted",
    )
    return claim


def _decide(claim, actor, status, note, event_new):
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_note = (note or "").strip()[:300]
    CLAIM_WORKFLOW.move(claim, status, actor=actor, reason=note, fields=("decided_by", "decided_at", "decision_note"))
    record_event(event_type=EventType.CLAIM_DECIDED, target=claim, actor=actor, new=event_new, message=note[:300])
    notify(
        recipients=[claim.submitted_by] if claim.submitted_by_id != getattr(actor, "pk", None) else [],
        title=_("产品宣传用语%(result)s：%(text)s") % {"result": claim.get_status_display(), "text": claim.text[:30]},
        url=_url("sales:productclaim-detail", claim.pk),
        kind="sales.claim_decided",
    )
    return claim


def _not_own(claim, actor):
    if actor is not None and claim.submitted_by_id == actor.pk:
        raise ConflictError(E.CLAIM_SELF_APPROVAL, _("不能审核自己提交的宣传用语"))


@service
def claim_approve(*, actor, claim_id, note: str = "", expected_version=None) -> ProductClaim:
    """PRE-2: QA approves the claim as truthful and not exaggerated — never the one who submitted it (409)."""
    require_perm(actor, "sales.approve_productclaim")
    claim = _get_claim(claim_id)
    check_version(claim, expected_version)
    CLAIM_WORKFLOW.check(claim, "approve")
    _not_own(claim, actor)
    return _decide(claim, actor, CL.APPROVED, note, {"status": CL.APPROVED})


@service
def claim_reject(*, actor, claim_id, reason: str = "", expected_version=None) -> ProductClaim:
    """PRE-2: QA rejects a claim it cannot stand behind, with the reason."""
    require_perm(actor, "sales.approve_productclaim")
    reason = _reason_required(reason)
    claim = _get_claim(claim_id)
    check_version(claim, expected_version)
    CLAIM_WORKFLOW.check(claim, "reject")
    _not_own(claim, actor)
    return _decide(claim, actor, CL.REJECTED, reason, {"status": CL.REJECTED})


@service
def claim_withdraw(*, actor, claim_id, reason: str = "", expected_version=None) -> ProductClaim:
    """PRE-2: an approved (or pending) claim is withdrawn — it is no longer shown to customers."""
    require_perm(actor, "sales.change_productclaim")
    reason = _reason_required(reason)
    claim = _get_claim(claim_id)
    check_version(claim, expected_version)
    CLAIM_WORKFLOW.check(claim, "withdraw")
    claim.decision_note = reason
    CLAIM_WORKFLOW.move(claim, CL.WITHDRAWN, actor=actor, reason=reason, fields=("decision_note",))
    record_event(
        event_type=EventType.CLAIM_DECIDED, target=claim, actor=actor, new={"status": CL.WITHDRAWN}, message=reason
    )
    return claim


# --- tenders (SAL-3) ------------------------------------------------------------------------


def _get_tender(actor, tender_id) -> Tender:
    return scoped_get(Tender, actor, tender_id, code=E.TENDER_NOT_FOUND, message=_("招投标不存在或不在您的范围内"))


@service
def tender_create(
    *,
    actor,
    customer,
    title: str,
    announced_on: dt.date,
    deadline: dt.datetime,
    tender_no: str = "",
    budget: Decimal | None = None,
    org_unit=None,
) -> Tender:
    """SAL-3: register a tender announced by a customer (the tendering organisation); it belongs to the
    customer's store unless another unit in the actor's scope is given."""
    require_perm(actor, "sales.add_tender")
    from salesservice.customers.models import Customer

    if actor is not None and not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise NotFoundError(
            E.TENDER_CUSTOMER_OUT_OF_SCOPE, _("招标单位不在您的范围内"), fields={"customer": [_("超出范围")]}
        )
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if timezone.localdate(deadline) < announced_on:
        raise DomainError(
            E.TENDER_DEADLINE, _("投标截止时间不能早于公告日期"), fields={"deadline": [_("早于公告日期")]}
        )
    org_unit = _unit_in_scope(actor, org_unit or customer.store)
    tender = Tender(
        number=next_number("tender", series=dict(name="招投标登记", prefix="TD", reset="yearly")),
        org_unit=org_unit,
        customer=customer,
        title=(title or "").strip()[:200],
        tender_no=(tender_no or "").strip()[:80],
        announced_on=announced_on,
        deadline=deadline,
        budget=budget,
        created_by=actor,
    )
    TENDER_WORKFLOW.initial(tender, T.ANNOUNCED)
    tender.save()
    record_event(event_type=EventType.TENDER_CREATED, target=tender, actor=actor, new={"customer": customer.pk})
    return tender


@service
def tender_report(*, actor, tender_id, note: str = "", expected_version=None) -> Tender:
    """SAL-3: report the tender to the general manager (every holder is notified; the first is recorded)."""
    require_perm(actor, "sales.change_tender")
    tender = _get_tender(actor, tender_id)
    check_version(tender, expected_version)
    TENDER_WORKFLOW.check(tender, "report")
    managers = holders("general_manager")
    if not managers:
        raise ConflictError(E.TENDER_NO_GENERAL_MANAGER, _("未找到总经理，无法报告"))
    tender.reported_at = timezone.now()
    tender.reported_to = managers[0]
    TENDER_WORKFLOW.move(tender, T.REPORTED, actor=actor, reason=note, fields=("reported_at", "reported_to"))
    record_event(
        event_type=EventType.TENDER_REPORTED,
        target=tender,
        actor=actor,
        new={"reported_to": managers[0].pk},
        message=note,
    )
    notify(
        recipients=managers,
        title=_("招标项目报告：%(title)s（%(customer)s，截止 %(deadline)s）")
        % {
            "title": tender.title,
            "customer": tender.customer.name,
            "deadline": timezone.localtime(tender.deadline).strftime("%Y-%m-%d %H:%M"),
        },
        body=note,
        url=_url("sales:tender-detail", tender.pk),
        kind="sales.tender_reported",
    )
    return tender


@service
def tender_bid(*, actor, tender_id, bid_amount, note: str = "", expected_version=None) -> Tender:
    """SAL-3: the bid was submitted — only for a tender reported to the general manager (409 otherwise)."""
    require_perm(actor, "sales.change_tender")
    try:
        amount = Decimal(str(bid_amount)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal("0")
    if amount <= 0:
        raise DomainError(E.TENDER_BID_AMOUNT, _("投标报价须大于 0"), fields={"bid_amount": [_("无效")]})
    tender = _get_tender(actor, tender_id)
    check_version(tender, expected_version)
    TENDER_WORKFLOW.check(tender, "bid")
    tender.bid_amount = amount
    tender.bid_at = timezone.now()
    TENDER_WORKFLOW.move(tender, T.BID_SUBMITTED, actor=actor, reason=note, fields=("bid_amount", "bid_at"))
    record_event(event_type=EventType.TENDER_BID, target=tender, actor=actor, new={"bid_amount": str(amount)})
    return tender


@service
def tender_award(
    *, actor, tender_id, result: str, awarded_on: dt.date | None = None, note: str = "", expected_version=None
) -> Tender:
    """SAL-3: the result of the opening — won or lost, with its date and a note; the general manager it was
    reported to is told."""
    require_perm(actor, "sales.change_tender")
    if result not in (T.WON, T.LOST) or awarded_on is None:
        raise DomainError(E.TENDER_RESULT, _("请选择中标或未中标，并填写日期"), fields={"result": [_("无效")]})
    tender = _get_tender(actor, tender_id)
    check_version(tender, expected_version)
    TENDER_WORKFLOW.check(tender, "award", target=result)
    tender.awarded_on = awarded_on
    tender.result_note = (note or "").strip()[:300]
    TENDER_WORKFLOW.move(tender, result, actor=actor, reason=note, fields=("awarded_on", "result_note"))
    record_event(
        event_type=EventType.TENDER_AWARDED,
        target=tender,
        actor=actor,
        new={"result": result, "awarded_on": awarded_on.isoformat()},
        message=note,
    )
    notify(
        recipients=[tender.reported_to] if tender.reported_to_id else holders("general_manager"),
        title=_("招标结果：%(title)s %(result)s") % {"title": tender.title, "result": tender.get_status_display()},
        url=_url("sales:tender-detail", tender.pk),
        kind="sales.tender_awarded",
    )
    return tender


@service
def tender_withdraw(*, actor, tender_id, reason: str = "", expected_version=None) -> Tender:
    """SAL-3: the company does not (or no longer) bid, with the reason."""
    require_perm(actor, "sales.change_tender")
    reason = _reason_required(reason)
    tender = _get_tender(actor, tender_id)
    check_version(tender, expected_version)
    TENDER_WORKFLOW.check(tender, "withdraw")
    tender.result_note = reason
    TENDER_WORKFLOW.move(tender, T.WITHDRAWN, actor=actor, reason=reason, fields=("result_note",))
    record_event(event_type=EventType.TENDER_WITHDRAWN, target=tender, actor=actor, message=reason)
    return tender


@service
def tender_mark_contracted(*, actor, tender, contract=None) -> Tender:
    """SAL-3: a won tender became a contract — called by the contract service inside its own transaction;
    moves won → contracted (409 `tender.not_won` otherwise)."""
    require_perm(actor, "sales.add_contract")
    locked = scoped_get(Tender, actor, tender, code=E.TENDER_NOT_FOUND, message=_("招投标不存在或不在您的范围内"))
    if not TENDER_WORKFLOW.allows(locked, "contract"):
        raise ConflictError(E.TENDER_NOT_WON, _("只有中标的招投标可以签合同"))
    number = getattr(contract, "number", "") or ""
    TENDER_WORKFLOW.move(locked, T.CONTRACTED, actor=actor, reason=number)
    record_event(event_type=EventType.TENDER_CONTRACTED, target=locked, actor=actor, new={"contract": number})
    if isinstance(tender, Tender) and tender is not locked:
        tender.refresh_from_db(fields=["status", "version", "updated_at"])  # the caller's copy follows the move
    return locked


# --- sales-rep authorisation letters (BUY-2) ------------------------------------------------


def _get_authorisation(actor, authorisation_id) -> RepAuthorisation:
    return scoped_get(
        RepAuthorisation,
        actor,
        authorisation_id,
        code=E.AUTHORISATION_NOT_FOUND,
        message=_("授权书不存在或不在您的范围内"),
    )


@service
def authorisation_issue(
    *, actor, rep, scope: str, valid_from: dt.date, valid_until: dt.date, org_unit=None
) -> RepAuthorisation:
    """BUY-2: issue a sales rep an authorisation letter with its scope and validity (the rep carries it with
    the company's qualification copies)."""
    require_perm(actor, "sales.add_repauthorisation")
    if rep is None or not rep.is_active:
        raise DomainError(E.AUTHORISATION_REP_INVALID, _("被授权人须为在职人员"), fields={"rep": [_("无效")]})
    if valid_until < valid_from:
        raise DomainError(
            E.AUTHORISATION_DATES, _("有效期至不能早于有效期起"), fields={"valid_until": [_("早于起始日")]}
        )
    scope = (scope or "").strip()
    if not scope:
        raise DomainError(E.REASON_REQUIRED, _("请填写授权范围"), fields={"scope": [_("必填")]})
    if org_unit is None:
        rep_unit = unit_of(rep)
        org_unit = rep_unit if rep_unit is not None and can_see_unit(actor, rep_unit.pk) else unit_of(actor)
    _unit_in_scope(actor, org_unit)
    letter = RepAuthorisation.objects.create(
        number=next_number("rep_authorisation", series=dict(name="销售授权书", prefix="AUTH", reset="yearly")),
        rep=rep,
        org_unit=org_unit,
        scope=scope[:300],
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=actor,
    )
    record_event(
        event_type=EventType.AUTHORISATION_ISSUED,
        target=letter,
        actor=actor,
        new={"rep": rep.pk, "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat()},
    )
    notify(
        recipients=[rep],
        title=_("您的销售授权书已签发：%(number)s，有效期至 %(until)s")
        % {"number": letter.number, "until": valid_until},
        url=_url("sales:repauthorisation-detail", letter.pk),
        kind="sales.authorisation_issued",
    )
    return letter


@service
def authorisation_revoke(*, actor, authorisation_id, reason: str = "", expected_version=None) -> RepAuthorisation:
    """BUY-2: take a letter back (the rep left, the scope changed …) with the reason; from today it no longer
    authorises orders."""
    require_perm(actor, "sales.change_repauthorisation")
    reason = _reason_required(reason)
    letter = _get_authorisation(actor, authorisation_id)
    check_version(letter, expected_version)
    if letter.revoked_at is not None:
        raise ConflictError(E.AUTHORISATION_REVOKED, _("授权书已收回"))
    letter.revoked_at = timezone.now()
    letter.revoke_reason = reason
    letter.version += 1
    letter.save(update_fields=["revoked_at", "revoke_reason", "version", "updated_at"])
    record_event(event_type=EventType.AUTHORISATION_REVOKED, target=letter, actor=actor, message=reason)
    notify(
        recipients=[letter.rep],
        title=_("您的销售授权书已收回：%(number)s") % {"number": letter.number},
        body=reason,
        url=_url("sales:repauthorisation-detail", letter.pk),
        level="warning",
        kind="sales.authorisation_revoked",
    )
    return letter


def authorisations_remind_expiring(*, actor=None, today: dt.date | None = None) -> int:
    """BUY-2: once per letter, tell the rep and the issuing unit's managers that a valid letter expires within
    `sales.authorisation_warn_days` (a letter already reminded is skipped: the notification is the mark)."""
    from salesservice.core.models import Notification

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=int(policy_value("sales.authorisation_warn_days")))
    letters = list(
        RepAuthorisation.objects.filter(
            revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today, valid_until__lte=horizon
        ).select_related("rep", "org_unit")
    )
    if not letters:
        return 0
    urls = {letter.pk: _url("sales:repauthorisation-detail", letter.pk) for letter in letters}
    done = set(
        Notification.objects.filter(kind="sales.authorisation_expiring", url__in=urls.values()).values_list(
            "url", flat=True
        )
    )
    sent = 0
    for letter in letters:
        if urls[letter.pk] in done:
            continue
        managers = holders(("store_manager", "region_manager"), letter.org_unit) or holders("general_manager")
        notify(
            recipients=[letter.rep, *managers],
            title=_("销售授权书即将到期：%(number)s（%(rep)s，%(until)s 到期）")
            % {"number": letter.number, "rep": letter.rep.name, "until": letter.valid_until},
            url=urls[letter.pk],
            level="warning",
            kind="sales.authorisation_expiring",
        )
        sent += 1
    return sent


# --- annual sales plans (SAL-4) -------------------------------------------------------------


def _money(value, field: str, code=E.PLAN_TARGET) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(code, _("金额无效"), fields={field: [_("无效")]}) from None
    if amount < 0 or not amount.is_finite():
        raise DomainError(code, _("金额不能为负"), fields={field: [_("无效")]})
    return amount


def even_months(target: Decimal) -> list[Decimal]:
    """SAL-4: the default monthly split — target/12, the cents left over on December."""
    month = (target / 12).quantize(CENT, rounding=ROUND_DOWN)
    return [month] * 11 + [target - month * 11]


def _get_plan(actor, plan_id) -> SalesPlan:
    return scoped_get(SalesPlan, actor, plan_id, code=E.PLAN_NOT_FOUND, message=_("销售计划不存在或不在您的范围内"))


@service
def plan_create(
    *,
    actor,
    org_unit,
    year: int,
    target,
    company_target=Decimal("0"),
    basis: str = "",
    months: list | None = None,
) -> SalesPlan:
    """SAL-4: the annual plan of a unit: last year's actual sales (computed from orders of the unit's subtree),
    the company's target, the planned target and 12 monthly targets (default target/12, summing to it)."""
    require_perm(actor, "sales.add_salesplan")
    _unit_in_scope(actor, org_unit)
    target = _money(target, "target")
    if target <= 0:
        raise DomainError(E.PLAN_TARGET, _("计划销售额须大于 0"), fields={"target": [_("须大于 0")]})
    company_target = _money(company_target or 0, "company_target")
    if months:
        monthly = [_money(value, "months", E.PLAN_MONTHS) for value in months]
        if len(monthly) != 12 or sum(monthly) != target:
            raise DomainError(
                E.PLAN_MONTHS,
                _("12 个月度目标合计 %(sum)s 须等于计划销售额 %(target)s") % {"sum": sum(monthly), "target": target},
                fields={"months": [_("合计不符")]},
            )
    else:
        monthly = even_months(target)
    if SalesPlan.objects.filter(org_unit=org_unit, year=year).exists():
        raise ConflictError(
            E.PLAN_EXISTS, _("%(unit)s %(year)s 年已有销售计划") % {"unit": org_unit.name, "year": year}
        )
    try:
        with transaction.atomic():
            plan = SalesPlan.objects.create(
                org_unit=org_unit,
                year=year,
                last_year_actual=sales_actual(org_unit, year - 1),
                company_target=company_target,
                target=target,
                basis=(basis or "").strip(),
                created_by=actor,
            )
    except IntegrityError:
        raise ConflictError(E.PLAN_EXISTS, _("该单位该年度已有销售计划")) from None
    SalesPlanMonth.objects.bulk_create(
        SalesPlanMonth(plan=plan, month=month, target=amount) for month, amount in enumerate(monthly, start=1)
    )
    record_event(
        event_type=EventType.PLAN_CREATED,
        target=plan,
        actor=actor,
        new={"year": year, "target": str(target), "last_year_actual": str(plan.last_year_actual)},
    )
    notify(
        recipients=[user for user in holders("general_manager") if user != actor],
        title=_("年度销售计划待批准：%(unit)s %(year)s") % {"unit": org_unit.name, "year": year},
        url=_url("sales:salesplan-detail", plan.pk),
        kind="sales.plan_created",
    )
    return plan


@service
def plan_approve(*, actor, plan_id, note: str = "", expected_version=None) -> SalesPlan:
    """SAL-4: the general manager approves the plan — never its author (409), and only once (409)."""
    require_perm(actor, "sales.approve_salesplan")
    plan = _get_plan(actor, plan_id)
    check_version(plan, expected_version)
    if plan.approved_at is not None:
        raise ConflictError(E.PLAN_APPROVED, _("销售计划已批准"))
    if actor is not None and plan.created_by_id == actor.pk:
        raise ConflictError(E.PLAN_SELF_APPROVAL, _("不能批准自己编制的销售计划"))
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.version += 1
    plan.save(update_fields=["approved_by", "approved_at", "version", "updated_at"])
    record_event(event_type=EventType.PLAN_APPROVED, target=plan, actor=actor, message=(note or "")[:300])
    notify(
        recipients=[plan.created_by] if plan.created_by_id != getattr(actor, "pk", None) else [],
        title=_("年度销售计划已批准：%(unit)s %(year)s") % {"unit": plan.org_unit.name, "year": plan.year},
        url=_url("sales:salesplan-detail", plan.pk),
        kind="sales.plan_approved",
    )
    return plan
