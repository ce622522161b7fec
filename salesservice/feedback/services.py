"""Writes of the feedback app: follow-ups 回访 (FBK-1, FBK-2) and the suggestion box 意见箱 (FBK-3).

Survey writes are in `survey_services.py`, the periodic jobs (scheduling, reminders, sending) in
`scheduling.py`. Every service runs in one transaction (`@service`), locks what it changes, checks the
actor's permission and scope (out of scope → 404), moves statuses only through the declared workflows
(`workflows.py`: `check`, then `move`), records a typed timeline event and notifies after commit.
`actor=None` is the system (jobs) or the public (suggestion box).
"""

from __future__ import annotations

import datetime as dt
import inspect

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.guards import check_version, checked_moment, require_perm
from salesservice.core.models import OrgUnit, User
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit

from .choices import (
    AttemptChannel,
    EventType,
    FollowUpKind,
    FollowUpStatus,
    SourceKind,
    SuggestionKind,
    SuggestionStatus,
)
from .models import FollowUp, FollowUpAttempt, Suggestion
from .workflows import FOLLOW_UP_WORKFLOW, SUGGESTION_WORKFLOW, TRIAGE_STEPS

FOLLOW_UP_SERIES = "follow_up"
FOLLOW_UP_SERIES_SPEC = {"name": "回访单", "prefix": "FU", "reset": "daily"}
SUGGESTION_SERIES = "suggestion"
COMPLAINT_PROMISE = dt.timedelta(days=3)  # default handling deadline told to the customer (seed 000)
# Who phones the customer, in order of preference, among the store's staff.
ASSIGNEE_ROLES = ("cs_rep", "cs_supervisor", "store_manager")
KIND_SOURCE = {
    FollowUpKind.AFTER_SERVICE: SourceKind.SERVICE_REQUEST,
    FollowUpKind.AFTER_COMPLAINT: SourceKind.COMPLAINT,
    FollowUpKind.AFTER_DELIVERY: SourceKind.DELIVERY,
    FollowUpKind.KEY_ACCOUNT_PERIODIC: SourceKind.CUSTOMER,
}


# --- helpers ---------------------------------------------------------------------------------


def _moment(at: dt.datetime | None) -> dt.datetime:
    return checked_moment(at, prefix="feedback")


def _get_follow_up(actor, follow_up_id, *, lock: bool = True) -> FollowUp:
    pk = follow_up_id.pk if isinstance(follow_up_id, FollowUp) else follow_up_id
    queryset = FollowUp.objects.all() if actor is None else FollowUp.objects.visible_to(actor)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.select_related("customer", "store").get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("follow_up.not_found", _("回访不存在或不在您的范围内")) from None


def follow_up_url(follow_up: FollowUp) -> str:
    try:
        return reverse("feedback:follow-up-detail", args=[follow_up.pk])
    except NoReverseMatch:  # pragma: no cover - the pages are always installed with the app
        return f"/api/v1/follow-ups/{follow_up.pk}/"


def default_assignee(store_id: int, cache: dict | None = None) -> User | None:
    """The store's CS rep (else its CS supervisor, else its manager) who makes the follow-up calls."""
    if cache is not None and store_id in cache:
        return cache[store_id]
    chosen = None
    for role in ASSIGNEE_ROLES:
        found = holders(role, store_id, exact=True)  # the store's own, by id
        if found:
            chosen = found[0]
            break
    if cache is not None:
        cache[store_id] = chosen
    return chosen


def _insert_follow_up(follow_up: FollowUp, *, actor) -> FollowUp:
    """Number and save a new follow-up; a duplicate source (a parallel scheduler) → ConflictError."""
    try:
        with transaction.atomic():  # savepoint: the unique source constraint may refuse it
            follow_up.number = next_number(FOLLOW_UP_SERIES, series=FOLLOW_UP_SERIES_SPEC)
            follow_up.save()
    except IntegrityError:
        raise ConflictError(
            "follow_up.duplicate", _("该来源已安排回访，不能重复安排"), fields={"source": [_("已有回访")]}
        ) from None
    record_event(
        event_type=EventType.FOLLOW_UP_SCHEDULED,
        target=follow_up,
        actor=actor,
        new={
            "number": follow_up.number,
            "kind": follow_up.kind,
            "source": follow_up.source_number,
            "due_at": follow_up.due_at.isoformat(),
        },
    )
    return follow_up


# --- follow-ups (FBK-1, FBK-2) ---------------------------------------------------------------


def _refuse_without_consent(customer) -> None:
    """INF-1 (issue 12 §10): no follow-up call or survey to a customer who withdrew consent to them."""
    from salesservice.customers.choices import ConsentPurpose
    from salesservice.customers.selectors import consent_withdrawn

    if consent_withdrawn(customer, ConsentPurpose.SERVICE_FOLLOW_UP):
        raise ConflictError("consent.withdrawn", _("客户已撤回对服务回访与满意度调查的同意，不能安排回访或发送问卷"))


@service
def follow_up_create(
    *,
    actor,
    customer,
    kind: str,
    due_at: dt.datetime,
    assignee: User | None = None,
    service_request=None,
    source_id: int | None = None,
    source_number: str = "",
    period_key: str = "",
    store: OrgUnit | None = None,
) -> FollowUp:
    """FBK-1: schedule a follow-up of a customer (after a service, complaint, delivery, or periodic).

    The store defaults to the service request's, else the customer's; it must be in the actor's scope.
    A follow-up for a source that already has one is refused (`follow_up.duplicate`, 409): scheduling
    is idempotent (FBK-2).
    """
    require_perm(actor, "feedback.add_followup")
    from salesservice.customers.models import Customer

    if kind not in FollowUpKind.values:
        raise DomainError("follow_up.invalid_kind", _("无效的回访类型"), fields={"kind": [_("无效")]})
    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer_pk = customer.pk if isinstance(customer, Customer) else customer
    customer = customers.select_related("store").filter(pk=customer_pk).first()
    if customer is None:
        raise DomainError(
            "follow_up.customer_not_found", _("客户不存在或不在您的范围内"), fields={"customer": [_("无效")]}
        )
    if due_at is None or timezone.is_naive(due_at):
        raise DomainError("follow_up.due_required", _("请填写应回访时间（带时区）"), fields={"due_at": [_("必填")]})
    source_kind = KIND_SOURCE[kind]
    if service_request is not None:
        from salesservice.service.models import ServiceRequest

        requests = ServiceRequest.objects.all() if actor is None else ServiceRequest.objects.visible_to(actor)
        request_pk = service_request.pk if hasattr(service_request, "pk") else service_request
        service_request = requests.filter(pk=request_pk).first()
        if service_request is None or service_request.customer_id != customer.pk:
            raise DomainError(
                "follow_up.request_invalid",
                _("服务单不存在、不在您的范围内或不属于该客户"),
                fields={"service_request": [_("无效")]},
            )
        source_kind, source_id, source_number = SourceKind.SERVICE_REQUEST, service_request.pk, service_request.number
    elif kind == FollowUpKind.AFTER_SERVICE:
        raise DomainError(
            "follow_up.request_required", _("服务后回访须关联服务单"), fields={"service_request": [_("必填")]}
        )
    if kind == FollowUpKind.KEY_ACCOUNT_PERIODIC and source_id is None:
        source_id = customer.pk
    store = store or (service_request.store if service_request is not None else customer.store)
    if store.kind != OrgUnitKind.STORE:
        raise DomainError("follow_up.invalid_store", _("回访门店必须是门店"), fields={"store": [_("请选择门店")]})
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            "follow_up.store_out_of_scope", _("所选门店不在您的管辖范围内"), fields={"store": [_("超出范围")]}
        )
    if assignee is not None and not assignee.is_active:
        raise DomainError("follow_up.assignee_inactive", _("回访人已停用"), fields={"assignee": [_("无效")]})
    if assignee is not None and not can_see_unit(assignee, store.pk):  # issue 12 §8: they could not open it
        raise DomainError(
            "follow_up.assignee_out_of_scope",
            _("回访人看不到该门店的记录，请选择该门店范围内的人员"),
            fields={"assignee": [_("超出范围")]},
        )
    _refuse_without_consent(customer)
    follow_up = FollowUp(
        customer=customer,
        store=store,
        kind=kind,
        service_request=service_request,
        source_kind=source_kind if source_id is not None else SourceKind.NONE,
        source_id=source_id,
        source_number=(source_number or "")[:40],
        period_key=period_key,
        due_at=due_at,
        assignee=assignee or default_assignee(store.pk),
        created_by=actor,
    )
    return _insert_follow_up(follow_up, actor=actor)


def _ensure_open(follow_up: FollowUp, action: str) -> None:
    """Attempts and completion take only open follow-ups (待回访 / 未联系上); refused with a code of their own."""
    if not FOLLOW_UP_WORKFLOW.allows(follow_up, action):
        raise ConflictError(
            "follow_up.not_open",
            _("回访已%(status)s，不能再登记") % {"status": follow_up.get_status_display()},
        )


@service
def follow_up_record_attempt(
    *,
    actor,
    follow_up_id: int,
    channel: str,
    reached: bool,
    note: str = "",
    give_up: bool = False,
    at: dt.datetime | None = None,
) -> FollowUpAttempt:
    """FBK-1: record one try to reach the customer. Not reached with `give_up` → 未联系上 (unreachable).

    Only open follow-ups (待回访 / 未联系上) take attempts; a later attempt that reaches the customer
    is recorded too and the follow-up is then completed with `follow_up_complete`.
    """
    require_perm(actor, "feedback.change_followup")
    follow_up = _get_follow_up(actor, follow_up_id)
    _ensure_open(follow_up, "attempt")
    if channel not in AttemptChannel.values:
        raise DomainError("follow_up.invalid_channel", _("无效的回访方式"), fields={"channel": [_("无效")]})
    if give_up and reached:
        raise DomainError("follow_up.give_up_reached", _("已联系上客户时不能标记为未联系上"))
    moment = _moment(at)
    attempt = FollowUpAttempt.objects.create(
        follow_up=follow_up,
        attempted_at=moment,
        channel=channel,
        reached=bool(reached),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    follow_up.attempt_count += 1
    follow_up.last_attempt_at = moment
    fields = ["attempt_count", "last_attempt_at"]
    record_event(
        event_type=EventType.FOLLOW_UP_ATTEMPTED,
        target=follow_up,
        actor=actor,
        new={"channel": channel, "reached": bool(reached), "at": moment.isoformat()},
        message=note,
    )
    if give_up and FOLLOW_UP_WORKFLOW.allows(follow_up, "give-up"):  # a scheduled one; unreachable stays
        FOLLOW_UP_WORKFLOW.check(follow_up, "give-up")
        FOLLOW_UP_WORKFLOW.move(follow_up, FollowUpStatus.UNREACHABLE, actor=actor, reason=note, fields=fields)
        record_event(event_type=EventType.FOLLOW_UP_UNREACHABLE, target=follow_up, actor=actor, message=note)
    else:
        follow_up.version += 1
        follow_up.save(update_fields=[*fields, "version", "updated_at"])
    return attempt


def _validate_satisfaction(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or not 1 <= number <= 5:
        raise DomainError(
            "follow_up.satisfaction_invalid", _("满意度须为 1–5 分"), fields={"satisfaction": [_("请选择 1–5 分")]}
        )
    return number


@service
def follow_up_complete(
    *,
    actor,
    follow_up_id: int,
    outcome: str,
    satisfaction: int,
    issues_raised: str = "",
    channel: str = AttemptChannel.PHONE,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> FollowUp:
    """FBK-1/FBK-4: the customer was reached — record the outcome, satisfaction 1–5 and issues raised.

    If no attempt that reached the customer is recorded yet, one is recorded now (`channel`).
    """
    require_perm(actor, "feedback.change_followup")
    follow_up = _get_follow_up(actor, follow_up_id)
    check_version(follow_up, expected_version)
    _ensure_open(follow_up, "complete")
    outcome = (outcome or "").strip()
    missing = {}
    if not outcome:
        missing["outcome"] = [_("请填写回访结果")]
    try:
        satisfaction = _validate_satisfaction(satisfaction)
    except DomainError as error:
        missing.update(error.fields)
    if missing:
        raise DomainError("follow_up.incomplete", _("回访信息不完整"), fields=missing)
    moment = _moment(at)
    if channel not in AttemptChannel.values:
        raise DomainError("follow_up.invalid_channel", _("无效的回访方式"), fields={"channel": [_("无效")]})
    fields = ["outcome", "satisfaction", "issues_raised", "completed_at", "completed_by"]
    if not follow_up.attempts.filter(reached=True).exists():
        FollowUpAttempt.objects.create(
            follow_up=follow_up, attempted_at=moment, channel=channel, reached=True, note=outcome, recorded_by=actor
        )
        follow_up.attempt_count += 1
        follow_up.last_attempt_at = moment
        fields += ["attempt_count", "last_attempt_at"]
    follow_up.outcome = outcome
    follow_up.satisfaction = satisfaction
    follow_up.issues_raised = (issues_raised or "").strip()
    follow_up.completed_at = moment
    follow_up.completed_by = actor
    FOLLOW_UP_WORKFLOW.check(follow_up, "complete")
    FOLLOW_UP_WORKFLOW.move(follow_up, FollowUpStatus.DONE, actor=actor, fields=fields)
    record_event(
        event_type=EventType.FOLLOW_UP_COMPLETED,
        target=follow_up,
        actor=actor,
        new={"satisfaction": satisfaction, "issues": bool(follow_up.issues_raised)},
        message=outcome,
    )
    return follow_up


@service
def follow_up_close(*, actor, follow_up_id: int, reason: str = "", expected_version: int | None = None) -> FollowUp:
    """Close a follow-up: after it was done, or — with a reason — one that will not be made."""
    require_perm(actor, "feedback.change_followup")
    follow_up = _get_follow_up(actor, follow_up_id)
    check_version(follow_up, expected_version)
    reason = (reason or "").strip()
    if follow_up.status != FollowUpStatus.DONE and not reason and follow_up.status != FollowUpStatus.CLOSED:
        raise DomainError(
            "follow_up.reason_required", _("未完成的回访关闭时须填写原因"), fields={"reason": [_("必填")]}
        )
    FOLLOW_UP_WORKFLOW.check(follow_up, "close")
    follow_up.closed_at = timezone.now()
    follow_up.close_reason = reason[:300]
    FOLLOW_UP_WORKFLOW.move(
        follow_up, FollowUpStatus.CLOSED, actor=actor, reason=reason, fields=("closed_at", "close_reason")
    )
    record_event(event_type=EventType.FOLLOW_UP_CLOSED, target=follow_up, actor=actor, message=reason)
    return follow_up


@service
def follow_up_open_service_request(
    *, actor, follow_up_id: int, description: str = "", category: str = "repair"
) -> object:
    """FBK-1: the issue raised on a follow-up becomes a new service request in one click (linked back)."""
    require_perm(actor, "feedback.change_followup")
    from salesservice.service.choices import Channel
    from salesservice.service.services import service_request_create

    follow_up = _get_follow_up(actor, follow_up_id)
    if follow_up.opened_service_request_id:
        raise ConflictError("follow_up.request_already_opened", _("该回访已转出服务单"))
    text = (description or follow_up.issues_raised or "").strip()
    if not text:
        raise DomainError("follow_up.issue_required", _("请填写客户反映的问题"), fields={"description": [_("必填")]})
    text = _("【回访 %(number)s】%(text)s") % {"number": follow_up.number, "text": text}
    created = service_request_create(
        actor=actor,
        customer=follow_up.customer,
        channel=Channel.HOTLINE,
        category=category,
        description=text,
        store=follow_up.store,
    )
    follow_up.opened_service_request = created
    follow_up.version += 1
    follow_up.save(update_fields=["opened_service_request", "version", "updated_at"])
    record_event(
        event_type=EventType.FOLLOW_UP_OPENED_REQUEST, target=follow_up, actor=actor, new={"number": created.number}
    )
    return created


def complaint_create_function():
    """The complaints app's `complaint_create` service when that app is installed, else None.

    The complaints app is built separately; the buttons that open a complaint are shown only when
    this returns a function.
    """
    from django.apps import apps

    if not apps.is_installed("salesservice.complaints"):
        return None
    try:
        from salesservice.complaints.services import complaint_create
    except ImportError:
        return None
    return complaint_create if callable(complaint_create) else None


def _call_complaint_create(
    function, *, actor, customer, store, channel: str, subject: str, description: str, promised_by=None, request=None
):
    """Call `complaint_create` with the keyword arguments it accepts (the signature is the complaints app's)."""
    offered = {
        "actor": actor,
        "customer": customer,
        "store": store,
        "channel": channel,
        "subject": subject[:200],
        "description": description,
        "service_request": request,
        "promised_by": promised_by,
    }
    parameters = inspect.signature(function).parameters
    takes_any = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    kwargs = {k: v for k, v in offered.items() if takes_any or k in parameters}
    for name, parameter in parameters.items():
        if (
            parameter.kind == inspect.Parameter.KEYWORD_ONLY
            and parameter.default is inspect.Parameter.empty
            and name not in kwargs
        ):
            raise DomainError("complaint.unavailable", _("投诉模块暂不支持自动创建，请在投诉模块中登记"))
    return function(**kwargs)


@service
def follow_up_open_complaint(
    *, actor, follow_up_id: int, description: str = "", promised_by: dt.datetime | None = None
) -> object:
    """FBK-1: the issue raised on a follow-up becomes a complaint in one click (when the complaints app exists).

    Logged as a hotline complaint (we are on the phone with the customer); `promised_by` is the handling
    deadline told to the customer (seed 000), by default `COMPLAINT_PROMISE` from now.
    """
    require_perm(actor, "feedback.change_followup")
    function = complaint_create_function()
    if function is None:
        raise DomainError("complaint.unavailable", _("投诉模块未启用"))
    follow_up = _get_follow_up(actor, follow_up_id)
    if follow_up.opened_complaint_id:
        raise ConflictError("follow_up.complaint_already_opened", _("该回访已转出投诉"))
    text = (description or follow_up.issues_raised or "").strip()
    if not text:
        raise DomainError("follow_up.issue_required", _("请填写客户反映的问题"), fields={"description": [_("必填")]})
    complaint = _call_complaint_create(
        function,
        actor=actor,
        customer=follow_up.customer,
        store=follow_up.store,
        channel="hotline",
        subject=_("回访反映：%(text)s") % {"text": text[:60]},
        description=_("【回访 %(number)s】%(text)s") % {"number": follow_up.number, "text": text},
        promised_by=promised_by or timezone.now() + COMPLAINT_PROMISE,
        request=follow_up.service_request,
    )
    follow_up.opened_complaint_id = complaint.pk
    follow_up.opened_complaint_number = str(getattr(complaint, "number", complaint.pk))[:40]
    follow_up.version += 1
    follow_up.save(update_fields=["opened_complaint_id", "opened_complaint_number", "version", "updated_at"])
    record_event(
        event_type=EventType.FOLLOW_UP_OPENED_COMPLAINT,
        target=follow_up,
        actor=actor,
        new={"complaint": follow_up.opened_complaint_number},
    )
    return complaint


# --- the suggestion box (FBK-3; seed 003 客户监督) --------------------------------------------


@service
def suggestion_submit(
    *,
    name: str,
    store: OrgUnit,
    kind: str,
    text: str,
    phone: str = "",
    rating: int | None = None,
    submitted_at: dt.datetime | None = None,
    actor=None,
) -> Suggestion:
    """FBK-3: anyone leaves a suggestion, praise or complaint for a store (no login; the page rate-limits)."""
    name, text, phone = (name or "").strip(), (text or "").strip(), "".join((phone or "").split())
    errors = {}
    if not name:
        errors["name"] = [_("请填写姓名")]
    if not text:
        errors["text"] = [_("请填写内容")]
    if kind not in SuggestionKind.values:
        errors["kind"] = [_("请选择类型")]
    if store is None or store.kind != OrgUnitKind.STORE or not store.is_active:
        errors["store"] = [_("请选择门店")]
    if rating not in (None, "") and (isinstance(rating, bool) or str(rating) not in {"1", "2", "3", "4", "5"}):
        errors["rating"] = [_("评价须为 1–5 星")]
    if errors:
        raise DomainError("suggestion.invalid", _("请检查填写的内容"), fields=errors)
    suggestion = Suggestion.objects.create(
        number=next_number(
            SUGGESTION_SERIES, at=submitted_at, series=dict(name="客户意见", prefix="SG", reset="daily")
        ),
        name=name[:60],
        phone=phone[:30],
        store=store,
        kind=kind,
        rating=int(rating) if rating not in (None, "") else None,
        text=text[:4000],
        submitted_at=submitted_at or timezone.now(),
    )
    record_event(
        event_type=EventType.SUGGESTION_RECEIVED, target=suggestion, actor=None, new={"kind": kind, "store": store.pk}
    )
    from salesservice.core.notifications import notify

    supervisors = holders(("cs_supervisor", "store_manager"), store, exact=True)
    try:
        url = reverse("feedback:suggestion-detail", args=[suggestion.pk])
    except NoReverseMatch:  # pragma: no cover
        url = ""
    notify(
        recipients=list(supervisors),
        title=_("意见箱新%(kind)s：%(number)s") % {"kind": suggestion.get_kind_display(), "number": suggestion.number},
        body=text[:200],
        url=url,
        kind="feedback.suggestion",
    )
    return suggestion


# decision → the status it leads to (the step it takes is `workflows.TRIAGE_STEPS`).
TRIAGE_DECISIONS = {decision: SUGGESTION_WORKFLOW.actions[step].target for decision, step in TRIAGE_STEPS.items()}


def _suggestion_customer(actor, suggestion: Suggestion):
    """The customer behind a suggestion: found by phone in the store, or opened (individual)."""
    from salesservice.customers.choices import CustomerType
    from salesservice.customers.models import Customer
    from salesservice.customers.services import customer_create

    if suggestion.phone:
        found = (
            Customer.objects.filter(store=suggestion.store, phone=suggestion.phone, is_anonymised=False)
            .order_by("id")
            .first()
        )
        if found is not None:
            return found
    return customer_create(
        actor=actor,
        name=suggestion.name,
        customer_type=CustomerType.INDIVIDUAL,
        store=suggestion.store,
        phone=suggestion.phone,
    )


@service
def suggestion_triage(
    *, actor, suggestion_id: int, decision: str, note: str = "", expected_version: int | None = None
) -> Suggestion:
    """FBK-3: triage an entry — keep it as a suggestion, convert it into a complaint, or close it.

    Converting calls the complaints app's `complaint_create` (refused when that app is not available).
    """
    require_perm(actor, "feedback.change_suggestion")
    if decision not in TRIAGE_DECISIONS:
        raise DomainError("suggestion.invalid_decision", _("无效的处理方式"), fields={"decision": [_("无效")]})
    queryset = Suggestion.objects.all() if actor is None else Suggestion.objects.visible_to(actor)
    suggestion = queryset.select_for_update(of=("self",)).select_related("store").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFoundError("suggestion.not_found", _("意见不存在或不在您的范围内"))
    check_version(suggestion, expected_version)
    target = TRIAGE_DECISIONS[decision]
    SUGGESTION_WORKFLOW.check(suggestion, TRIAGE_STEPS[decision])  # before a complaint is opened
    fields = ["triage_note", "triaged_by", "triaged_at"]
    if target == SuggestionStatus.CONVERTED:
        function = complaint_create_function()
        if function is None:
            raise DomainError("complaint.unavailable", _("投诉模块未启用，不能转为投诉"))
        customer = _suggestion_customer(actor, suggestion)
        complaint = _call_complaint_create(
            function,
            actor=actor,
            customer=customer,
            store=suggestion.store,
            channel="suggestion_box",
            subject=_("意见箱：%(text)s") % {"text": suggestion.text[:60]},
            description=_("【意见箱 %(number)s】%(text)s") % {"number": suggestion.number, "text": suggestion.text},
        )
        suggestion.complaint_id = complaint.pk
        suggestion.complaint_number = str(getattr(complaint, "number", complaint.pk))[:40]
        fields += ["complaint_id", "complaint_number"]
    suggestion.triage_note = (note or "").strip()
    suggestion.triaged_by = actor
    suggestion.triaged_at = timezone.now()
    SUGGESTION_WORKFLOW.move(suggestion, target, actor=actor, reason=note, fields=fields)
    record_event(
        event_type=EventType.SUGGESTION_TRIAGED,
        target=suggestion,
        actor=actor,
        new={"decision": decision, "complaint": suggestion.complaint_number},
        message=note,
    )
    return suggestion
