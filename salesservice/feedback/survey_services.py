"""Writes of the satisfaction surveys (FBK-3, FBK-4): versioned templates, tokenised links, answers.

- A template revision that has answers is never changed: revising it creates revision n+1 and the
  old answers keep pointing at the old questions.
- A link stores only the sha256 of its random token; the raw token (in the URL of the SMS / email
  text) is returned once. One answer per link: the link row is locked and the response is unique per
  link, so two submissions racing each other give one response and one refusal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core import links
from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.core.guards import check_version, require_perm
from salesservice.core.sms import send_sms

from .choices import CHOICE_KINDS, EventType, QuestionKind, SourceKind
from .models import SurveyAnswer, SurveyLink, SurveyQuestion, SurveyResponse, SurveyTemplate
from .services import NotFoundError, _refuse_without_consent

DEFAULT_TEMPLATE_KEY = "service"
SURVEY_VALID_DAYS = 14
MAX_QUESTIONS = 30
MAX_TEXT_ANSWER = 2000
SCORE_RANGES = {QuestionKind.RATING: (1, 5), QuestionKind.NPS: (0, 10)}

DEFAULT_QUESTIONS = [
    {"kind": QuestionKind.RATING, "text": "您对本次服务的总体满意度如何？", "required": True},
    {
        "kind": QuestionKind.NPS,
        "text": "您有多大可能向亲友推荐我们？（0 = 完全不可能，10 = 非常可能）",
        "required": True,
    },
    {
        "kind": QuestionKind.SINGLE,
        "text": "您是通过哪种渠道联系我们的？",
        "options": ["400 热线", "门店", "在线表单", "邮件", "其他"],
        "required": False,
    },
    {"kind": QuestionKind.TEXT, "text": "您对我们还有什么建议？", "required": False},
]


class SurveyLinkError(DomainError):
    """An unknown (404), answered (409) or expired (410) survey link."""

    status_code = 409


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


# --- templates -------------------------------------------------------------------------------


def _clean_questions(questions) -> list[dict]:
    """Validate question definitions: kind, text, options for choice questions (2–20 distinct)."""
    if not isinstance(questions, list | tuple) or not questions:
        raise DomainError("survey.questions_required", _("问卷至少需要一道题"), fields={"questions": [_("必填")]})
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(
            "survey.too_many_questions", _("问卷最多 %(n)s 道题") % {"n": MAX_QUESTIONS}, fields={"questions": ["…"]}
        )
    cleaned = []
    for index, raw in enumerate(questions, start=1):
        raw = raw if isinstance(raw, dict) else {}
        kind, text = raw.get("kind"), str(raw.get("text") or "").strip()
        problem = None
        if kind not in QuestionKind.values:
            problem = _("第 %(n)s 题：题型无效") % {"n": index}
        elif not text:
            problem = _("第 %(n)s 题：请填写题目") % {"n": index}
        options = []
        if problem is None and kind in CHOICE_KINDS:
            options = [str(o).strip() for o in (raw.get("options") or []) if str(o).strip()]
            if len(options) < 2 or len(set(options)) != len(options) or len(options) > 20:
                problem = _("第 %(n)s 题：选择题须有 2–20 个互不相同的选项") % {"n": index}
        if problem:
            raise DomainError("survey.question_invalid", problem, fields={"questions": [problem]})
        cleaned.append(
            {
                "order": index,
                "kind": kind,
                "text": text[:300],
                "options": options,
                "required": bool(raw.get("required", True)),
            }
        )
    return cleaned


def _add_questions(template: SurveyTemplate, questions: list[dict]) -> None:
    SurveyQuestion.objects.bulk_create([SurveyQuestion(template=template, **q) for q in questions])


@service
def survey_template_create(
    *, actor, key: str, name: str, questions: list[dict], description: str = ""
) -> SurveyTemplate:
    """FBK-3/FBK-4: a new questionnaire (revision 1 of family `key`)."""
    require_perm(actor, "feedback.add_surveytemplate")
    key, name = (key or "").strip(), (name or "").strip()
    if not key or not name:
        raise DomainError(
            "survey.name_required", _("请填写问卷编码和名称"), fields={"key": [_("必填")], "name": [_("必填")]}
        )
    if SurveyTemplate.objects.filter(key=key).exists():
        raise ConflictError("survey.key_taken", _("问卷编码已存在"), fields={"key": [_("已存在")]})
    cleaned = _clean_questions(questions)
    try:
        with transaction.atomic():
            template = SurveyTemplate.objects.create(
                key=key[:40], name=name[:100], description=description or "", created_by=actor
            )
    except IntegrityError:
        raise ConflictError("survey.key_taken", _("问卷编码已存在"), fields={"key": [_("已存在")]}) from None
    _add_questions(template, cleaned)
    record_event(
        event_type=EventType.SURVEY_TEMPLATE_CREATED, target=template, actor=actor, new={"key": key, "revision": 1}
    )
    return template


@service
def survey_template_revise(
    *,
    actor,
    template_id: int,
    questions: list[dict] | None = None,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    expected_version: int | None = None,
) -> SurveyTemplate:
    """Change a questionnaire. Only the current revision may be revised; if it has answers a new
    revision is created (returned) and the old one is kept unchanged for those answers (FBK-4)."""
    require_perm(actor, "feedback.change_surveytemplate")
    template = SurveyTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFoundError("survey.not_found", _("问卷不存在"))
    check_version(template, expected_version)
    if not template.is_current:
        raise ConflictError("survey.not_current", _("只能修订问卷的当前版本"))
    cleaned = _clean_questions(questions) if questions is not None else None
    new_name = (name or "").strip() or template.name
    new_description = template.description if description is None else description
    active = template.is_active if is_active is None else bool(is_active)
    if template.responses.exists() or template.links.exists():
        if cleaned is None:
            cleaned = [
                {"order": q.order, "kind": q.kind, "text": q.text, "options": q.options, "required": q.required}
                for q in template.questions.order_by("order")
            ]
        template.is_current = False
        template.version += 1
        template.save(update_fields=["is_current", "version", "updated_at"])
        revised = SurveyTemplate.objects.create(
            key=template.key,
            revision=template.revision + 1,
            name=new_name[:100],
            description=new_description,
            is_active=active,
            previous=template,
            created_by=actor,
        )
        _add_questions(revised, cleaned)
        record_event(
            event_type=EventType.SURVEY_TEMPLATE_REVISED,
            target=revised,
            actor=actor,
            old={"revision": template.revision},
            new={"revision": revised.revision},
        )
        return revised
    template.name, template.description, template.is_active = new_name[:100], new_description, active
    template.version += 1
    template.save(update_fields=["name", "description", "is_active", "version", "updated_at"])
    if cleaned is not None:
        template.questions.all().delete()
        _add_questions(template, cleaned)
    record_event(
        event_type=EventType.SURVEY_TEMPLATE_REVISED,
        target=template,
        actor=actor,
        new={"revision": template.revision, "in_place": True},
    )
    return template


def current_template(key: str = DEFAULT_TEMPLATE_KEY) -> SurveyTemplate | None:
    return SurveyTemplate.objects.filter(key=key, is_current=True, is_active=True).first()


def ensure_default_template() -> SurveyTemplate:
    """The standard service questionnaire (满意度 1–5, NPS, 服务渠道, 建议), created once if missing."""
    template = SurveyTemplate.objects.filter(key=DEFAULT_TEMPLATE_KEY, is_current=True).first()
    if template is None:
        template = survey_template_create(
            actor=None,
            key=DEFAULT_TEMPLATE_KEY,
            name="售后服务满意度调查",
            description="服务结案后发送给客户（FBK-4）",
            questions=DEFAULT_QUESTIONS,
        )
    return template


# --- links -----------------------------------------------------------------------------------


@dataclass
class SurveyInvitation:
    """A created link with its raw token and the texts to send (shown/sent once; only the hash is kept)."""

    link: SurveyLink
    token: str
    path: str
    sms_text: str
    email_subject: str
    email_text: str

    @property
    def url(self) -> str:
        return public_url(self.path)


def public_url(path: str) -> str:
    return links.public_url(path)


def _texts(link: SurveyLink, path: str) -> tuple[str, str, str]:
    url = public_url(path)
    store = link.store.name
    subject = _("【%(store)s】服务满意度调查") % {"store": store}
    about = link.source_number or ""
    sms = _(
        "【%(store)s】您好，感谢您选择我们的服务%(about)s。请花 1 分钟为本次服务评价：%(url)s （%(days)s 天内有效）"
    ) % {
        "store": store,
        "about": f"（{about}）" if about else "",
        "url": url,
        "days": max((link.expires_at - link.sent_at).days, 1),
    }
    email = _(
        "尊敬的 %(name)s：\n\n感谢您选择%(store)s的服务%(about)s。为了不断改进，请您花 1 分钟填写满意度调查：\n%(url)s\n\n"
        "链接有效期至 %(until)s，仅可提交一次。\n\n%(store)s 客户服务中心"
    ) % {
        "name": link.customer.name,
        "store": store,
        "about": f"（{about}）" if about else "",
        "url": url,
        "until": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
    }
    return sms, subject, email


@service
def survey_link_create(
    *,
    actor,
    customer,
    store=None,
    template: SurveyTemplate | None = None,
    service_request=None,
    source_kind: str = SourceKind.NONE,
    source_id: int | None = None,
    source_number: str = "",
    staff=None,
    product=None,
    valid_days: int = SURVEY_VALID_DAYS,
    sent_at: dt.datetime | None = None,
    sent_via: str = "",
) -> SurveyInvitation:
    """FBK-3: a tokenised survey link for a customer about a service request, complaint or delivery.

    Unique per subject: a second link for the same source is refused (`survey.duplicate`, 409).
    """
    require_perm(actor, "feedback.add_followup")
    _refuse_without_consent(customer)
    template = template or current_template() or ensure_default_template()
    if not template.is_current or not template.is_active:
        raise ConflictError("survey.template_inactive", _("只能使用启用中的问卷当前版本"))
    if service_request is not None:
        source_kind, source_id = SourceKind.SERVICE_REQUEST, service_request.pk
        source_number = source_number or service_request.number
        store = store or service_request.store
        product = product if product is not None else service_request.product
        staff = staff if staff is not None else service_request.assignee
    store = store or customer.store
    if not 1 <= int(valid_days) <= 90:
        raise DomainError("survey.valid_days", _("有效期须为 1–90 天"), fields={"valid_days": [_("无效")]})
    sent_at = sent_at or timezone.now()
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():
            link = SurveyLink.objects.create(
                token_hash=token_hash(token),
                template=template,
                service_request=service_request,
                source_kind=source_kind if source_id is not None else SourceKind.NONE,
                source_id=source_id,
                source_number=(source_number or "")[:40],
                customer=customer,
                store=store,
                staff=staff,
                product=product,
                sent_at=sent_at,
                sent_via=sent_via,
                expires_at=sent_at + dt.timedelta(days=int(valid_days)),
                created_by=actor,
            )
    except IntegrityError:
        raise ConflictError("survey.duplicate", _("该单据已发送过满意度问卷")) from None
    path = reverse("feedback:survey", args=[token])
    sms, subject, email = _texts(link, path)
    target = service_request if service_request is not None else link
    record_event(
        event_type=EventType.SURVEY_LINK_CREATED,
        target=target,
        actor=actor,
        new={"link": link.pk, "template": template.pk, "expires_at": link.expires_at.isoformat()},
    )
    return SurveyInvitation(link=link, token=token, path=path, sms_text=sms, email_subject=subject, email_text=email)


def _consent_withdrawn(customer_id) -> bool:
    from salesservice.customers.choices import ConsentPurpose
    from salesservice.customers.selectors import consent_withdrawn

    return consent_withdrawn(customer_id, ConsentPurpose.SERVICE_FOLLOW_UP)


def deliver(invitation: SurveyInvitation) -> str:
    """Send the invitation after commit: email when the customer has an address; the SMS text goes to
    the SMS gateway (`core.sms`: held until the quiet hours end). Returns how it was sent."""
    customer = invitation.link.customer
    ways = []
    if customer.phone and not customer.is_anonymised:
        ways.append("sms")
        send_sms(customer.phone, invitation.sms_text)  # core.sms: the gateway, after commit, not at night
    if customer.email and not customer.is_anonymised:
        ways.append("email")
        subject, body, to = invitation.email_subject, invitation.email_text, customer.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [to], fail_silently=True))
    via = ",".join(ways)
    SurveyLink.objects.filter(pk=invitation.link.pk).update(sent_via=via)
    invitation.link.sent_via = via
    return via


def survey_send_for_request(request, *, actor=None, now: dt.datetime | None = None) -> SurveyInvitation | None:
    """FBK-3: on closing a service request, send its satisfaction survey (idempotent: None if already sent).

    The service desk may call this from its close service; `feedback.send_surveys` catches up on
    every closed request without one.
    """
    if request.status != "closed":
        raise ConflictError("survey.request_not_closed", _("只有已结案的服务单才发送满意度问卷"))
    if SurveyLink.objects.filter(source_kind=SourceKind.SERVICE_REQUEST, source_id=request.pk).exists():
        return None
    if _consent_withdrawn(request.customer_id):
        return None
    try:
        with transaction.atomic():
            invitation = survey_link_create(
                actor=actor, customer=request.customer, service_request=request, sent_at=now
            )
            deliver(invitation)
    except ConflictError as error:
        if error.code == "survey.duplicate":
            return None
        raise
    return invitation


def survey_link_lookup(token: str, *, lock: bool = False, at: dt.datetime | None = None) -> SurveyLink:
    """The link behind `token` if it may still be answered: unknown → 404, answered → 409, expired → 410."""
    queryset = SurveyLink.objects.select_related("template", "customer", "store", "service_request", "product")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(token_hash=token_hash(token)).first() if token else None
    if link is None:
        error = SurveyLinkError("survey.link_invalid", _("问卷链接无效，请核对短信或邮件中的链接"))
        error.status_code = 404
        raise error
    if link.answered_at is not None:
        raise SurveyLinkError("survey.link_answered", _("您已提交过本问卷，感谢您的评价！每个链接只能提交一次。"))
    if link.expires_at <= (at or timezone.now()):
        error = SurveyLinkError("survey.link_expired", _("问卷链接已过期，如需评价请联系客服。"))
        error.status_code = 410
        raise error
    return link


def _clean_answer(question: SurveyQuestion, raw) -> dict | None:
    """One answer's stored form, or None when unanswered; a bad value raises with the question's field."""
    field = f"q{question.pk}"
    values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        if question.required:
            raise DomainError(
                "survey.answer_required", _("请回答：%(q)s") % {"q": question.text}, fields={field: [_("必答")]}
            )
        return None
    if question.kind in SCORE_RANGES:
        low, high = SCORE_RANGES[question.kind]
        if len(values) != 1 or not values[0].isdigit() or not low <= int(values[0]) <= high:
            raise DomainError(
                "survey.answer_invalid",
                _("“%(q)s”请选择 %(low)s–%(high)s 分") % {"q": question.text, "low": low, "high": high},
                fields={field: [_("无效")]},
            )
        return {"score": int(values[0])}
    if question.kind in CHOICE_KINDS:
        if any(v not in question.options for v in values) or (question.kind == QuestionKind.SINGLE and len(values) > 1):
            raise DomainError(
                "survey.answer_invalid", _("“%(q)s”的选项无效") % {"q": question.text}, fields={field: [_("无效")]}
            )
        return {"choices": list(dict.fromkeys(values))}
    return {"text": "\n".join(values)[:MAX_TEXT_ANSWER]}


@service
def survey_submit(token: str, answers: dict, *, at: dt.datetime | None = None, actor=None) -> SurveyResponse:
    """FBK-4: the customer answers through the link (no login). Exactly one response per link:
    the link row is locked and the response is unique per link; expired / answered links are refused.

    `answers` maps question id (int or "q<id>") to a value, or a list for multiple choice. Nothing is
    saved when an answer is missing or invalid.
    """
    moment = at or timezone.now()
    link = survey_link_lookup(token, lock=True, at=moment)
    questions = list(link.template.questions.order_by("order"))
    given = {}
    for key, value in (answers or {}).items():
        text_key = str(key)
        given[text_key[1:] if text_key.startswith("q") else text_key] = value
    rows = []
    for question in questions:
        cleaned = _clean_answer(question, given.get(str(question.pk)))
        if cleaned is not None:
            rows.append(SurveyAnswer(question=question, kind=question.kind, **cleaned))
    if not rows:
        raise DomainError("survey.empty", _("请至少回答一道题"))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                link=link,
                template=link.template,
                customer=link.customer,
                store=link.store,
                staff=link.staff,
                product=link.product,
                service_request=link.service_request,
                source_kind=link.source_kind,
                source_id=link.source_id,
                source_number=link.source_number,
                submitted_at=moment,
            )
    except IntegrityError:
        raise SurveyLinkError(
            "survey.link_answered", _("您已提交过本问卷，感谢您的评价！每个链接只能提交一次。")
        ) from None
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    link.answered_at = moment
    link.save(update_fields=["answered_at"])
    record_event(
        event_type=EventType.SURVEY_ANSWERED,
        target=link.service_request if link.service_request_id else link,
        actor=None,
        new={"response": response.pk, "answers": len(rows)},
    )
    return response


def survey_send_for_complaint(complaint, *, actor=None, now: dt.datetime | None = None) -> SurveyInvitation | None:
    """FBK-3: on closing a complaint, ask the customer how it was handled (idempotent: None if already sent)."""
    if complaint.status != "closed":
        raise ConflictError("survey.complaint_not_closed", _("只有已结案的投诉才发送满意度问卷"))
    if SurveyLink.objects.filter(source_kind=SourceKind.COMPLAINT, source_id=complaint.pk).exists():
        return None
    if _consent_withdrawn(complaint.customer_id):
        return None
    try:
        with transaction.atomic():
            invitation = survey_link_create(
                actor=actor,
                customer=complaint.customer,
                store=complaint.store,
                source_kind=SourceKind.COMPLAINT,
                source_id=complaint.pk,
                source_number=complaint.number,
                staff=complaint.handler,
                product=complaint.product,
                sent_at=now,
            )
            deliver(invitation)
    except ConflictError as error:
        if error.code == "survey.duplicate":
            return None
        raise
    return invitation


@service
def survey_link_reissue(*, actor, link_id: int, at: dt.datetime | None = None) -> SurveyInvitation:
    """Issue 12 §16: show a survey link on the record page to copy or scan (at the counter, on site). Only the
    token's hash is kept, so the link is issued anew — the old one stops working — for a link not yet
    answered nor expired, in the actor's scope. The expiry does not move."""
    require_perm(actor, "feedback.add_followup")
    now = at or timezone.now()
    link = SurveyLink.objects.visible_to(actor).select_for_update().filter(pk=link_id).first()
    if link is None:
        raise NotFoundError("survey.link_not_found", _("问卷链接不存在或不在您的范围内"))
    if link.answered_at is not None:
        raise ConflictError("survey.link_answered", _("客户已提交过本问卷"))
    if link.expires_at <= now:
        raise ConflictError("survey.link_expired", _("问卷链接已过期"))
    token = secrets.token_urlsafe(24)
    link.token_hash = token_hash(token)
    link.save(update_fields=["token_hash"])
    path = reverse("feedback:survey", args=[token])
    sms, subject, email = _texts(link, path)
    record_event(
        event_type=EventType.SURVEY_LINK_CREATED,
        target=link.service_request if link.service_request_id else link,
        actor=actor,
        new={"link": link.pk, "reissued": True, "expires_at": link.expires_at.isoformat()},
    )
    return SurveyInvitation(link=link, token=token, path=path, sms_text=sms, email_subject=subject, email_text=email)
