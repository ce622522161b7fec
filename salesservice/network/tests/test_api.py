"""Service providers API: scope, permissions, idempotent create, stale PATCH, status moves (409), violations."""

import pytest
from django.utils import timezone

from salesservice.network.models import ServiceProvider
from tests.matrix import Matrix, check_api

from .factories import ProviderFactory, ViolationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/service-providers/"


def test_permission_matrix_and_scope(users, api_for, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    check_api(
        Matrix(f"{URL}{provider.pk}/", permitted="xuhui_cs", out_of_scope="tianhe_cs", no_permission="sales_rep"),
        api_for,
    )
    assert api_for("provider_dispatcher").get(URL).status_code == 403  # no network permissions by default
    assert api_for("tianhe_cs").get(URL).json()["results"] == []
    [row] = api_for("xuhui_cs").get(URL).json()["results"]
    assert row["status"] == "active" and row["can_dispatch"] is True
    assert row["allowed_next_statuses"] == ["warned", "rectifying", "dispatch_stopped", "removed"]


def test_list_filters(api_for, demo):
    a = ProviderFactory(org_unit=demo["sh-xuhui"], name="徐汇家电")
    b = ProviderFactory(org_unit=demo["south"], status="dispatch_stopped")
    client = api_for("hq_service_manager")

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(status="dispatch_stopped") == {b.pk}
    assert ids(org_unit=demo["south"].pk) == {b.pk}
    assert ids(q="徐汇") == {a.pk}


def test_create_is_idempotent_and_refused_without_permission(users, api_for, demo):
    body = {
        "code": "WX-API-1",
        "name": "接口网点",
        "org_unit": demo["east"].pk,
        "dispatchers": [users["provider_dispatcher"].pk],
    }
    assert api_for("xuhui_cs").post(URL, body, format="json").status_code == 403
    assert api_for("east_manager").post(URL, body, format="json").status_code == 403
    client = api_for("hq_service_manager")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.content
    assert first.json()["dispatchers"][0]["username"] == "provider_dispatcher"
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert ServiceProvider.objects.count() == 1


def test_stale_patch_is_409_and_first_write_kept(api_for, demo):
    provider = ProviderFactory()
    client = api_for("hq_service_manager")
    assert client.patch(f"{URL}{provider.pk}/", {"version": 1, "phone": "1"}, format="json").status_code == 200
    stale = client.patch(f"{URL}{provider.pk}/", {"version": 1, "phone": "2"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    provider.refresh_from_db()
    assert provider.phone == "1"
    assert api_for("xuhui_cs").patch(f"{URL}{provider.pk}/", {"version": 2}, format="json").status_code == 403


def test_change_status_legal_illegal_and_forbidden(api_for, demo):
    provider = ProviderFactory()
    url = f"{URL}{provider.pk}/change-status/"
    assert api_for("xuhui_cs").post(url, {"to_status": "warned", "reason": "x"}).status_code == 403
    assert api_for("xuhui_manager").post(url, {"to_status": "warned", "reason": "x"}).status_code == 403
    client = api_for("hq_service_manager")
    assert client.post(url, {"to_status": "warned"}).status_code == 400
    ok = client.post(url, {"to_status": "dispatch_stopped", "reason": "三次违规"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "dispatch_stopped" and ok.json()["can_dispatch"] is False
    illegal = client.post(url, {"to_status": "warned", "reason": "降级"}, format="json")
    assert illegal.status_code == 409 and illegal.json()["code"] == "status.invalid_transition"
    assert "停止派工" in illegal.json()["detail"]
    provider.refresh_from_db()
    assert provider.status == "dispatch_stopped" and provider.status_reason == "三次违规" and provider.version == 2


def test_change_status_out_of_scope_is_404(api_for, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    response = api_for("tianhe_cs").post(f"{URL}{provider.pk}/change-status/", {"to_status": "warned", "reason": "x"})
    assert response.status_code in (403, 404)


def test_violations_record_and_list(api_for, demo):
    provider = ProviderFactory()
    url = f"{URL}{provider.pk}/violations/"
    today = timezone.localdate().isoformat()
    assert api_for("xuhui_cs").post(url, {"occurred_on": today, "description": "x"}).status_code == 403
    created = api_for("hq_service_manager").post(url, {"occurred_on": today, "description": "迟到"}, format="json")
    assert created.status_code == 201 and created.json()["recorded_by_name"] == "王建国"
    [row] = api_for("xuhui_cs").get(url).json()
    assert row["description"] == "迟到"


def test_list_query_count_does_not_grow_with_page_size(users, api_for, demo, django_assert_max_num_queries):
    from salesservice.catalog.tests.factories import CategoryFactory

    category = CategoryFactory()
    for _ in range(30):
        provider = ProviderFactory()
        provider.categories.set([category])
        provider.dispatchers.set([users["provider_dispatcher"]])
        ViolationFactory(provider=provider)
    client = api_for("xuhui_cs")
    client.get(URL, {"page_size": 1})
    with django_assert_max_num_queries(12) as small:
        client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(12) as large:
        assert len(client.get(URL, {"page_size": 30}).json()["results"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)
