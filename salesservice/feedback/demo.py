"""Demo records of the feedback app for `manage.py load_demo` (idempotent).

- the standard questionnaire (满意度 1–5, NPS, 单选 服务渠道, 文本 建议);
- follow-ups for every closed demo service request (FBK-2) — some done, some unreachable, the rest due;
- ~300 survey responses over the last 6 months across stores, staff and products, with a gentle
  upward trend and differences between stores so the dashboard has something to show (FBK-4);
- a few entries in the suggestion box (FBK-3).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

TARGET_RESPONSES = 300
CHANNELS = ["400 热线", "门店", "在线表单", "邮件", "其他"]
COMMENTS_GOOD = ["工程师很专业，讲解耐心", "上门准时，服务态度好", "处理很快，点赞", "电话回访很贴心", ""]
COMMENTS_BAD = ["等待时间太长", "希望预约时间更灵活", "配件要等好几天", "沟通不够及时"]
STORE_BIAS = {"sh-xuhui": 0.35, "hz-xihu": 0.1, "gz-tianhe": -0.25, "sz-nanshan": 0.0}
SUGGESTIONS = [
    ("王女士", "sh-xuhui", "praise", 5, "赵工上门维修非常细致，还帮忙清理了现场，点赞！"),
    ("李先生", "gz-tianhe", "suggestion", 3, "建议周末延长营业时间，工作日来不及到店。"),
    ("陈先生", "hz-xihu", "complaint", 1, "预约了上门安装，等了一整天没人来，也没有电话通知。"),
    ("周女士", "sz-nanshan", "suggestion", 4, "希望可以在微信上查询维修进度。"),
    ("匿名顾客", "sh-xuhui", "suggestion", None, "门店停车位太少，建议提供附近停车指引。"),
]


def load_demo() -> None:
    from .survey_services import ensure_default_template

    rng = random.Random(20261123)
    with transaction.atomic():
        template = ensure_default_template()
    _follow_ups(rng)
    _responses(rng, template)
    _suggestions()


def _follow_ups(rng: random.Random) -> None:
    from salesservice.core.models import User

    from .models import FollowUp, FollowUpAttempt
    from .scheduling import follow_up_schedule_for_closed_requests
    from .services import follow_up_complete, follow_up_record_attempt

    follow_up_schedule_for_closed_requests()
    if FollowUpAttempt.objects.exists():
        return  # already worked through on an earlier run
    now = timezone.now()
    fallback = User.objects.filter(username="hq_service_manager").first()  # HQ sees every store
    for follow_up in FollowUp.objects.select_related("assignee").order_by("due_at", "pk"):
        actor = follow_up.assignee or fallback
        if actor is None or follow_up.due_at > now:
            continue
        roll = rng.random()
        at = min(follow_up.due_at + dt.timedelta(hours=rng.randint(1, 30)), now - dt.timedelta(minutes=5))
        if roll < 0.55:
            if rng.random() < 0.3:
                follow_up_record_attempt(
                    actor=actor, follow_up_id=follow_up.pk, channel="phone", reached=False, note="无人接听", at=at
                )
                at = min(at + dt.timedelta(hours=3), now - dt.timedelta(minutes=1))
            satisfaction = rng.choices([5, 4, 3, 2], weights=[55, 30, 10, 5])[0]
            follow_up_complete(
                actor=actor,
                follow_up_id=follow_up.pk,
                outcome="客户表示问题已解决，使用正常" if satisfaction >= 4 else "客户基本认可，但对等待时间有意见",
                satisfaction=satisfaction,
                issues_raised="" if satisfaction >= 3 else "希望缩短上门等待时间",
                at=at,
            )
        elif roll < 0.68:
            for attempt in range(3):
                follow_up_record_attempt(
                    actor=actor,
                    follow_up_id=follow_up.pk,
                    channel="phone" if attempt < 2 else "sms",
                    reached=False,
                    note="无人接听" if attempt < 2 else "已发短信请客户回电",
                    give_up=attempt == 2,
                    at=min(at + dt.timedelta(hours=attempt * 4), now - dt.timedelta(minutes=1)),
                )
        # the rest stay 待回访 (due / overdue) for the workbench and the coverage gap


def _responses(rng: random.Random, template) -> None:
    from salesservice.catalog.models import Product
    from salesservice.core.directory import holders
    from salesservice.core.models import OrgUnit
    from salesservice.customers.models import Customer
    from salesservice.service.models import ServiceRequest

    from .models import SurveyLink, SurveyResponse
    from .survey_services import survey_link_create, survey_submit

    existing = SurveyResponse.objects.count()
    if existing >= TARGET_RESPONSES * 0.8:
        return
    now = timezone.now()
    questions = list(template.questions.order_by("order"))
    stores = list(OrgUnit.objects.filter(kind="store", is_active=True).order_by("code"))
    customers = {s.pk: list(Customer.objects.filter(store=s, is_anonymised=False).order_by("pk")[:60]) for s in stores}
    staff = {s.pk: holders(("engineer", "cs_rep"), s, exact=True) for s in stores}
    products = list(Product.objects.order_by("pk")[:30])
    stores = [s for s in stores if customers[s.pk]]
    if not stores:
        return

    def answer(sent_at, store_code):
        # Ratings drift upward over the six months; stores differ (徐汇 best, 天河 weakest).
        age = (now - sent_at).days / 180
        quality = 0.55 + STORE_BIAS.get(store_code, 0) * 0.5 + (1 - age) * 0.25 + rng.uniform(-0.35, 0.35)
        rating = max(1, min(5, round(1 + quality * 4 + rng.uniform(-0.6, 0.6))))
        nps = max(0, min(10, round(1.5 + quality * 9.5 + rng.uniform(-1.5, 1.5))))
        values = {}
        for q in questions:
            if q.kind == "rating_1_5":
                values[f"q{q.pk}"] = rating
            elif q.kind == "nps_0_10":
                values[f"q{q.pk}"] = nps
            elif q.kind in ("single_choice", "multiple_choice") and q.options:
                values[f"q{q.pk}"] = rng.choice(q.options)
            elif q.kind == "text":
                values[f"q{q.pk}"] = rng.choice(COMMENTS_GOOD if rating >= 4 else COMMENTS_BAD)
        return values

    created = 0
    # Closed service requests first: their surveys link back to the request, its engineer and product.
    closed = (
        ServiceRequest.objects.filter(status="closed", closed_at__isnull=False)
        .exclude(pk__in=SurveyLink.objects.filter(source_kind="service_request").values("source_id"))
        .select_related("customer", "store", "product", "assignee")
        .order_by("closed_at")
    )
    for request in closed:
        if rng.random() < 0.3:
            continue
        with transaction.atomic():
            invitation = survey_link_create(
                actor=None, customer=request.customer, service_request=request, sent_at=request.closed_at
            )
            at = min(request.closed_at + dt.timedelta(hours=rng.randint(1, 48)), now - dt.timedelta(minutes=1))
            survey_submit(invitation.token, answer(request.closed_at, request.store.code), at=at)
        created += 1
    # The rest spread evenly over 6 months (deliveries, store visits …: no source document).
    while existing + created < TARGET_RESPONSES:
        store = rng.choice(stores)
        sent_at = now - dt.timedelta(minutes=rng.randint(3 * 60, 180 * 24 * 60))
        people = staff[store.pk]
        with transaction.atomic():
            invitation = survey_link_create(
                actor=None,
                customer=rng.choice(customers[store.pk]),
                store=store,
                staff=rng.choice(people) if people else None,
                product=rng.choice(products) if products else None,
                sent_at=sent_at,
            )
            at = min(sent_at + dt.timedelta(hours=rng.randint(1, 72)), now - dt.timedelta(minutes=1))
            survey_submit(invitation.token, answer(sent_at, store.code), at=at)
        created += 1


def _suggestions() -> None:
    from salesservice.core.models import OrgUnit

    from .models import Suggestion
    from .services import suggestion_submit

    if Suggestion.objects.exists():
        return
    now = timezone.now()
    for index, (name, store_code, kind, rating, text) in enumerate(SUGGESTIONS):
        store = OrgUnit.objects.filter(code=store_code).first()
        if store is None:
            continue
        suggestion_submit(
            name=name,
            phone="" if name == "匿名顾客" else f"1370000{index:04d}",
            store=store,
            kind=kind,
            rating=rating,
            text=text,
            submitted_at=now - dt.timedelta(days=index * 3 + 1),
        )
