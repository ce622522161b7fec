"""DESIGN §6: token auth, error format, cursor pagination, Idempotency-Key, optimistic concurrency."""

import threading

import pytest
from auditlog.models import LogEntry
from django.db import connection
from rest_framework.test import APIClient

from salesservice.core.models import Event, IdempotencyRecord, OrgUnit

pytestmark = pytest.mark.django_db


def test_token_from_demo_credentials_works_on_users_me(users):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "xuhui_cs", "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/users/me/").json()
    assert me["username"] == "xuhui_cs"
    assert me["phone"] == "13900003002"  # one's own data is not masked
    assert [(m["role"], m["org_unit_name"]) for m in me["memberships"]] == [("cs_rep", "上海徐汇店")]
    assert me["memberships"][0]["role_display"] == "客服专员"


def test_wrong_password_gets_the_error_format(users):
    response = APIClient().post("/api/v1/auth/token/", {"username": "xuhui_cs", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "auth.invalid_credentials", "detail": "用户名或密码错误", "fields": {}}


def test_validation_errors_name_the_fields(api_for):
    response = api_for("admin").post("/api/v1/org-units/", {"name": "缺编码"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"code", "kind"} <= set(body["fields"])


def test_other_users_phone_is_masked_in_api(users, api_for):
    data = api_for("xuhui_manager").get(f"/api/v1/users/{users['xuhui_cs'].pk}/").json()
    assert data["phone"] == "139****3002"
    assert data["email"].startswith("x***@")


def test_cursor_pagination_walks_all_rows_and_counts_on_request(users, api_for):
    client = api_for("admin")
    first = client.get("/api/v1/users/", {"page_size": 5, "count": "true"}).json()
    assert first["count"] == len(users) and len(first["results"]) == 5 and first["next"]
    assert first["count_capped"] is False
    seen = [u["id"] for u in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [u["id"] for u in page["results"]]
    assert sorted(seen) == sorted(u.pk for u in users.values()) and len(seen) == len(set(seen))


def test_count_stops_at_the_cap_and_says_so(users, api_for, monkeypatch):
    """Issue 17 lists goal: `count=true` counts at most the cap (like the list pages' "10000+")."""
    from salesservice.core.api import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    body = api_for("admin").get("/api/v1/users/", {"page_size": 2, "count": "true"}).json()
    assert body["count"] == 3 and body["count_capped"] is True and len(body["results"]) == 2
    monkeypatch.setattr(pagination, "COUNT_CAP", len(users))
    body = api_for("admin").get("/api/v1/users/", {"count": "true"}).json()
    assert body["count"] == len(users) and body["count_capped"] is False
    assert "count" not in api_for("admin").get("/api/v1/users/").json()


def test_the_capped_count_does_not_sort(users, api_for):
    """Issue 17 lists goal: the capped count takes any cap + 1 matches — the list's ORDER BY would make the database
    sort or walk every match first (API and list pages share `capped_count`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesservice.core.models import User
    from salesservice.core.views.generic import CappedPaginator, capped_count

    with CaptureQueriesContext(connection) as queries:
        body = api_for("admin").get("/api/v1/users/", {"count": "true"}).json()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert body["count"] == len(users) and len(counts) == 1 and "ORDER BY" not in counts[0].upper()
    assert capped_count(User.objects.order_by("-username"), 2) == (2, True)
    assert capped_count(User.objects.filter(pk=users["admin"].pk), 2) == (1, False)
    paginator = CappedPaginator(User.objects.order_by("username"), 2)
    assert (paginator.count, paginator.capped) == (min(len(users), paginator.cap), False)


def test_user_list_query_count_does_not_grow_with_page_size(api_for, django_assert_max_num_queries):
    client = api_for("admin")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/users/", {"page_size": 2})
    with django_assert_max_num_queries(8):
        client.get("/api/v1/users/", {"page_size": 200})


def test_create_org_unit_via_api_is_audited_with_token_and_ip(demo, users, api_for):
    response = api_for("admin").post(
        "/api/v1/org-units/",
        {"code": "nj-xinjiekou", "name": "南京新街口店", "kind": "store", "parent": demo["east"].pk},
        format="json",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 201, response.content
    unit = OrgUnit.objects.get(code="nj-xinjiekou")
    assert unit.path == f"{demo['east'].path}{unit.pk}/"
    entry = LogEntry.objects.get(content_type__model="orgunit", object_pk=str(unit.pk), action=0)
    assert entry.actor == users["admin"] and entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["via"] == f"api:token#{users['admin'].pk}"
    event = Event.objects.get(event_type="core.org_unit_created", target_id=str(unit.pk))
    assert event.actor == users["admin"] and event.remote_addr == "10.1.2.3"
    # the new store is visible to the east region manager at once, not to the south
    assert api_for("east_manager").get(f"/api/v1/org-units/{unit.pk}/").status_code == 200


def test_store_cannot_be_created_under_a_store(demo, api_for):
    response = api_for("admin").post(
        "/api/v1/org-units/",
        {"code": "bad", "name": "错误", "kind": "store", "parent": demo["sh-xuhui"].pk},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "org_unit.invalid_parent"
    assert not OrgUnit.objects.filter(code="bad").exists()


def test_non_admin_cannot_create_org_units(demo, api_for):
    response = api_for("xuhui_manager").post(
        "/api/v1/org-units/", {"code": "x", "name": "x", "kind": "store", "parent": demo["east"].pk}, format="json"
    )
    assert response.status_code == 403


def test_idempotency_key_replays_the_first_response(demo, api_for):
    client = api_for("admin")
    body = {"code": "nj-1", "name": "南京一店", "kind": "store", "parent": demo["east"].pk}
    first = client.post("/api/v1/org-units/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/org-units/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert OrgUnit.objects.filter(code="nj-1").count() == 1


def test_idempotency_key_reused_with_another_body_is_refused(demo, api_for):
    client = api_for("admin")
    body = {"code": "nj-2", "name": "南京二店", "kind": "store", "parent": demo["east"].pk}
    client.post("/api/v1/org-units/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    other = client.post("/api/v1/org-units/", {**body, "code": "nj-3"}, format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    assert other.status_code == 422 and other.json()["code"] == "idempotency.key_reused"
    assert not OrgUnit.objects.filter(code="nj-3").exists()


def test_failed_create_does_not_burn_the_idempotency_key(demo, api_for):
    client = api_for("admin")
    bad = client.post(
        "/api/v1/org-units/",
        {"code": "nj-4", "name": "x", "kind": "store", "parent": demo["sh-xuhui"].pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-4",
    )
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.filter(key="abc-4").exists()


def test_stale_update_is_409_and_first_write_kept(demo, api_for):
    unit = demo["sh-xuhui"]
    a, b = api_for("admin"), api_for("admin")
    version = a.get(f"/api/v1/org-units/{unit.pk}/").json()["version"]
    first = a.patch(f"/api/v1/org-units/{unit.pk}/", {"version": version, "phone": "021-11111111"}, format="json")
    second = b.patch(f"/api/v1/org-units/{unit.pk}/", {"version": version, "phone": "021-22222222"}, format="json")
    assert first.status_code == 200 and first.json()["version"] == version + 1
    assert second.status_code == 409 and second.json()["code"] == "conflict.stale"
    unit.refresh_from_db()
    assert unit.phone == "021-11111111"


def test_update_without_version_is_refused(demo, api_for):
    response = api_for("admin").patch(f"/api/v1/org-units/{demo['hq'].pk}/", {"name": "总公司"}, format="json")
    assert response.status_code == 400 and "version" in response.json()["fields"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_stale_updates_exactly_one_wins():
    """Two writers with the same version at the same moment: one 200, one 409, the winner's value kept."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from rest_framework.authtoken.models import Token

    from salesservice.core.demo import load_demo_org

    units = load_demo_org()
    from salesservice.core.models import User

    token = Token.objects.create(user=User.objects.get(username="admin"))
    unit = units["hz-xihu"]
    version = unit.version
    results: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def write(phone):
        from django.db import connections

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        barrier.wait()
        results[phone] = client.patch(
            f"/api/v1/org-units/{unit.pk}/", {"version": version, "phone": phone}, format="json"
        ).status_code
        connections.close_all()

    threads = [threading.Thread(target=write, args=(p,)) for p in ("0571-1", "0571-2")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results.values()) == [200, 409], results
    winner = next(p for p, code in results.items() if code == 200)
    unit.refresh_from_db()
    assert unit.phone == winner and unit.version == version + 1


def test_openapi_schema_is_valid_and_fully_documented(users):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert schema.startswith("openapi: 3")
    for path in (
        "/api/v1/org-units/",
        "/api/v1/users/me/",
        "/api/v1/policies/",
        "/api/v1/notifications/",
        "/api/v1/audit-log/",
        "/api/v1/auth/token/",
    ):
        assert f"  {path}:" in schema


def test_schema_and_docs_are_served(client, users):
    assert client.get("/api/v1/schema/").status_code == 200
    client.force_login(users["xuhui_cs"])
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200


@pytest.mark.parametrize(
    ("accept", "query"),
    [
        (None, ""),
        ("*/*", ""),
        (" */* ", ""),
        ("application/json", ""),
        ("application/json; indent=4", ""),
        ("text/html", ""),
        ("*/*; q=0.8", ""),
        ("application/xml", ""),
        (None, "?format=json"),
        (None, "?format=api"),
    ],
)
def test_content_negotiation_answers_as_drf_does(accept, query):
    """The direct answer for no `Accept`/`*/*` (issue 17 §2) is DRF's own; any other case is DRF's negotiation."""
    from rest_framework.exceptions import NotAcceptable
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from salesservice.core.api.negotiation import ContentNegotiation

    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    for renderers in ([JSONRenderer()], [JSONRenderer(), BrowsableAPIRenderer()]):
        request = Request(APIRequestFactory().get(f"/api/v1/org-units/{query}", **headers))
        outcomes = []
        for negotiation in (ContentNegotiation(), DefaultContentNegotiation()):
            try:
                renderer, media_type = negotiation.select_renderer(request, renderers)
                outcomes.append((type(renderer), media_type))
            except (NotAcceptable, Exception) as exc:  # noqa: BLE001 — the same failure either way
                outcomes.append(type(exc))
        assert outcomes[0] == outcomes[1], (accept, query, outcomes)
