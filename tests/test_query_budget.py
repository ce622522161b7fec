"""SQL per request path — service desk, complaints, returns — against the budget measured before the document kernel (issue 11: "no request path
got more SQL"). Each journey goes through the public API and pages only, so the same steps ran on the code
before the kernel to give the figures in BUDGET (`QUERY_BUDGET_PRINT=1 pytest tests/test_query_budget.py -s`
prints today's counts). A step over its budget fails; a step under it is fine (lower the budget when it
drops for good)."""

import datetime as dt
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

# Measured on 6b75fd6 (the commit before the kernel), SQLite, same steps.
BUDGET = {
    "complaints.api.agree": 24,
    "complaints.api.approve_payment": 39,
    "complaints.api.close": 38,  # +1: CMP-7 reads the actor's level (issue 12 §12)
    "complaints.api.create": 36,
    "complaints.api.feedback": 22,
    "complaints.api.implement": 22,
    "complaints.api.pay": 30,
    "complaints.api.pay_over_limit": 27,
    "complaints.api.propose": 22,
    "complaints.api.propose_again": 22,
    "complaints.api.refuse": 25,
    "complaints.api.respond": 21,
    "complaints.api.verify": 22,
    "complaints.page.detail": 45,
    "returns.api.approve": 19,
    "returns.api.close": 19,
    "returns.api.inspect": 34,
    "returns.api.receive": 18,
    "returns.api.refund": 17,
    "returns.page.detail": 34,
    "service.api.close": 20,  # +1: SRV-8 checks the process record (issue 12 §13)
    "service.api.confirm": 21,
    "service.api.contact": 19,
    "service.api.create": 26,
    "service.api.dispatch": 25,
    "service.api.list": 8,
    "service.api.resolve": 24,  # +4: SRV-8 writes the process record of a remote answer, with its audit row
    "service.api.start": 19,
    "service.page.cancel": 16,
    "service.page.contact": 16,
    "service.page.detail": 25,  # +1: the feedback app's survey panel (issue 12 §16)
    "service.page.dispatch": 27,
    "service.page.list": 11,
}

counts: dict[str, int] = {}


def measure(name, call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    counts[name] = len(ctx.captured_queries)
    assert response.status_code < 400, (name, response.status_code, getattr(response, "content", b"")[:300])
    return response


@pytest.fixture(autouse=True, scope="module")
def report():
    yield
    if os.environ.get("QUERY_BUDGET_PRINT"):
        print("\nQUERY COUNTS", dict(sorted(counts.items())))


def _over(names):
    over = {n: (counts[n], BUDGET[n]) for n in names if n in BUDGET and counts.get(n, 0) > BUDGET[n]}
    assert not over, f"more SQL than before the kernel (count, budget): {over}"


@pytest.mark.django_db
def test_service_request_journey_through_the_api(demo, api_for):
    from salesservice.catalog.tests.factories import ProductFactory
    from salesservice.customers.tests.factories import CustomerFactory
    from salesservice.people.tests.factories import CertificationFactory
    from salesservice.service.tests.factories import SIGNATURE, store, user

    product = ProductFactory()
    engineer = CertificationFactory(user=user("xuhui_engineer"), category=product.category).user
    customer = CustomerFactory(store=store("sh-xuhui"))
    cs, eng, manager = api_for("xuhui_cs"), api_for("xuhui_engineer"), api_for("xuhui_manager")
    base = "/api/v1/service-requests/"
    body = {"customer": customer.pk, "channel": "hotline", "category": "consultation", "description": "如何清洗滤网"}
    pk = measure("service.api.create", lambda: cs.post(base, body, format="json")).json()["id"]
    url = f"{base}{pk}/"
    measure("service.api.contact", lambda: cs.post(url + "contact/", {"note": "已联系"}, format="json"))
    measure(
        "service.api.dispatch",
        lambda: cs.post(url + "dispatch/", {"mode": "remote", "engineer": engineer.pk}, format="json"),
    )
    measure("service.api.start", lambda: eng.post(url + "start/", {}, format="json"))
    measure(
        "service.api.resolve", lambda: eng.post(url + "resolve/", {"root_cause": "脏", "solution": "洗"}, format="json")
    )
    measure(
        "service.api.confirm",
        lambda: cs.post(url + "confirm/", {"method": "onsite", "rating": 5, "signature": SIGNATURE}, format="json"),
    )
    measure("service.api.close", lambda: manager.post(url + "close/", {}, format="json"))
    measure("service.api.list", lambda: cs.get(base, {"page_size": 20}))
    _over([n for n in BUDGET if n.startswith("service.api")])


@pytest.mark.django_db
def test_service_request_pages(demo, web_for):
    from salesservice.catalog.tests.factories import ProductFactory
    from salesservice.people.tests.factories import CertificationFactory
    from salesservice.service.tests.factories import make_request, user

    product = ProductFactory()
    engineer = CertificationFactory(user=user("xuhui_engineer"), category=product.category).user
    request = make_request(product=product, received_at=timezone.now() - dt.timedelta(minutes=5))
    other = make_request(product=product)
    web = web_for("xuhui_cs")
    page = f"/service/requests/{request.pk}/"
    measure("service.page.detail", lambda: web.get(page))
    measure("service.page.contact", lambda: web.post(page + "contact/", {"version": 1, "note": "已联系"}))
    measure(
        "service.page.dispatch",
        lambda: web.post(page + "dispatch/", {"version": 2, "mode": "onsite", "engineer": engineer.pk}),
    )
    measure(
        "service.page.cancel",
        lambda: web.post(f"/service/requests/{other.pk}/cancel/", {"version": 1, "reason": "重复"}),
    )
    measure("service.page.list", lambda: web.get("/service/requests/"))
    _over([n for n in BUDGET if n.startswith("service.page")])


@pytest.mark.django_db
def test_complaint_journey_through_the_api(demo, api_for):
    from salesservice.complaints.tests.factories import store, top_up, user
    from salesservice.customers.tests.factories import CustomerFactory

    top_up("50000")
    customer = CustomerFactory(store=store())
    cs, manager, region = api_for("xuhui_cs"), api_for("xuhui_manager"), api_for("east_manager")
    body = {"customer": customer.pk, "channel": "hotline", "subject": "冰箱送货磕碰", "description": "门体凹陷",
            "customer_demand": "换新", "promised_by": (timezone.now() + dt.timedelta(days=2)).isoformat()}  # fmt: skip
    pk = measure("complaints.api.create", lambda: cs.post("/api/v1/complaints/", body, format="json")).json()["id"]
    url = f"/api/v1/complaints/{pk}/"
    measure("complaints.api.respond", lambda: cs.post(url + "respond/", {"note": "已致歉"}, format="json"))
    measure("complaints.api.verify", lambda: cs.post(url + "verify/", {"notes": "搬运磕碰"}, format="json"))
    measure("complaints.api.propose", lambda: cs.post(url + "propose/", {"solution": "换门体"}, format="json"))
    measure("complaints.api.refuse", lambda: cs.post(url + "refuse/", {"reason": "要整机"}, format="json"))
    measure("complaints.api.propose_again", lambda: cs.post(url + "propose/", {"solution": "整机换新"}, format="json"))
    measure("complaints.api.agree", lambda: cs.post(url + "agree/", {"note": "同意"}, format="json"))
    measure("complaints.api.pay", lambda: cs.post(url + "pay/", {"amount": "200.00"}, format="json"))
    pending = measure(
        "complaints.api.pay_over_limit", lambda: cs.post(url + "pay/", {"amount": "800.00"}, format="json")
    )
    request_id = pending.json()["pending"]["id"]
    measure(
        "complaints.api.approve_payment",
        lambda: region.post(url + "approve-payment/", {"request": request_id}, format="json"),
    )
    measure("complaints.api.implement", lambda: cs.post(url + "implement/", {}, format="json"))
    measure(
        "complaints.api.feedback",
        lambda: cs.post(url + "feedback/", {"feedback": "已换新", "satisfaction": 5}, format="json"),
    )
    close = {"root_cause": "搬运未用护角", "responsible_party": "staff", "responsible_user": user("xuhui_engineer").pk,
             "improvement_actions": [{"description": "护角培训", "owner": user("xuhui_manager").pk,
                                      "due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()}]}  # fmt: skip
    measure("complaints.api.close", lambda: manager.post(url + "close/", close, format="json"))
    measure("complaints.page.detail", lambda: _page("xuhui_manager", f"/complaints/{pk}/"))
    _over([n for n in BUDGET if n.startswith("complaints.")])


@pytest.mark.django_db
def test_return_journey_through_the_api(demo, api_for):
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.returns.tests.factories import make_return

    seed_policy_defaults()
    created = make_return(reason="quality", requested_kind="refund")
    url = f"/api/v1/returns/{created.pk}/"
    manager, clerk, qa, cs = (api_for(u) for u in ("xuhui_manager", "warehouse_clerk", "qa_inspector", "xuhui_cs"))
    # Each step is measured warm: an un-measured read by the same user right before it fills this process's
    # configuration cache (permissions, scope) — also after a step that changed the configuration stamp (the
    # inspection's first nonconformance creates its number series).
    assert manager.get(url).status_code == 200
    measure("returns.api.approve", lambda: manager.post(url + "approve/", {"note": "同意"}, format="json"))
    assert clerk.get(url).status_code == 200
    measure("returns.api.receive", lambda: clerk.post(url + "receive/", {"condition": "opened_intact"}, format="json"))
    assert qa.get(url).status_code == 200
    measure(
        "returns.api.inspect",
        lambda: qa.post(url + "inspect/", {"quality_problem": True, "findings": "电源板虚焊"}, format="json"),
    )
    assert cs.get(url).status_code == 200
    measure("returns.api.refund", lambda: cs.post(url + "refund/", {"amount": "299.00"}, format="json"))
    assert cs.get(url).status_code == 200
    measure("returns.api.close", lambda: cs.post(url + "close/", {}, format="json"))
    assert _page("xuhui_manager", f"/returns/{created.pk}/").status_code == 200
    measure("returns.page.detail", lambda: _page("xuhui_manager", f"/returns/{created.pk}/"))
    _over([n for n in BUDGET if n.startswith("returns.")])


def _page(username, path):
    from django.test import Client

    from salesservice.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.get(path)
