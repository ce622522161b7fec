"""Provider pages: list with status badges, detail with the allowed status buttons, violations, form."""

import pytest
from django.utils import timezone

from salesservice.network.models import ServiceProvider
from tests.matrix import Matrix, check_page

from .factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_detail_page_matrix(users, client, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    check_page(
        Matrix(
            f"/network/providers/{provider.pk}/",
            permitted="xuhui_cs",
            out_of_scope="tianhe_cs",
            no_permission="sales_rep",
        ),
        client,
        users,
    )


def test_list_page_badges_scope_and_actions(web_for, demo):
    ProviderFactory(org_unit=demo["sh-xuhui"], name="徐汇网点")
    ProviderFactory(org_unit=demo["south"], name="华南网点", status="dispatch_stopped")
    page = web_for("tianhe_cs").get("/network/providers/").content.decode()
    assert "华南网点" in page and "徐汇网点" not in page and 'data-status="dispatch_stopped"' in page
    assert "/network/providers/new/" not in page
    page = web_for("hq_service_manager").get("/network/providers/").content.decode()
    assert "华南网点" in page and "徐汇网点" in page and "/network/providers/new/" in page
    export = web_for("hq_service_manager").get("/network/providers/", {"export": "xlsx"})
    assert export.status_code == 200


def test_detail_shows_allowed_moves_and_changes_status_with_reason(users, web_for, demo):
    provider = ProviderFactory(status="rectifying")
    url = f"/network/providers/{provider.pk}/"
    page = web_for("hq_service_manager").get(url).content.decode()
    assert 'value="active"' in page and 'value="dispatch_stopped"' in page and 'value="warned"' not in page
    assert "data-confirm" in page
    assert 'id="status-form"' not in web_for("xuhui_cs").get(url).content.decode()
    assert web_for("xuhui_cs").post(f"{url}status/", {"to_status": "active", "reason": "x"}).status_code == 403
    refused = web_for("hq_service_manager").post(f"{url}status/", {"to_status": "warned", "reason": "x"})
    assert refused.status_code == 400 and "不能从" in refused.content.decode()
    assert web_for("hq_service_manager").post(f"{url}status/", {"to_status": "active", "reason": ""}).status_code == 400
    ok = web_for("hq_service_manager").post(f"{url}status/", {"to_status": "dispatch_stopped", "reason": "复查不合格"})
    assert ok.status_code == 302
    provider.refresh_from_db()
    assert provider.status == "dispatch_stopped"
    page = web_for("hq_service_manager").get(url).content.decode()
    assert "复查不合格" in page and 'data-code="dispatch.provider_stopped"' in page


def test_record_violation_from_the_page(web_for, demo):
    provider = ProviderFactory()
    url = f"/network/providers/{provider.pk}/violations/"
    response = web_for("hq_service_manager").post(
        url, {"occurred_on": timezone.localdate().isoformat(), "description": "未清理现场"}
    )
    assert response.status_code == 302
    page = web_for("hq_service_manager").get(f"/network/providers/{provider.pk}/").content.decode()
    assert "未清理现场" in page and 'data-rung="warned"' in page  # NET-3: the warning letter, issued on the count


def test_create_and_edit_pages(users, web_for, demo):
    client = web_for("hq_service_manager")
    assert client.get("/network/providers/new/").status_code == 200
    response = client.post(
        "/network/providers/new/",
        {
            "code": "WX-WEB",
            "name": "页面网点",
            "org_unit": demo["east"].pk,
            "dispatchers": [users["provider_dispatcher"].pk],
        },
    )
    provider = ServiceProvider.objects.get(code="WX-WEB")
    assert response.status_code == 302 and list(provider.dispatchers.all()) == [users["provider_dispatcher"]]
    edit = client.post(
        f"/network/providers/{provider.pk}/edit/",
        {"code": "WX-WEB", "name": "页面网点二", "org_unit": demo["east"].pk, "version": 1},
    )
    assert edit.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "页面网点二" and not provider.dispatchers.exists()
    stale = client.post(
        f"/network/providers/{provider.pk}/edit/",
        {"code": "WX-WEB", "name": "旧", "org_unit": demo["east"].pk, "version": 1},
    )
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    assert web_for("xuhui_cs").get("/network/providers/new/").status_code == 403


def test_list_page_query_count_independent_of_rows(users, web_for, demo, django_assert_max_num_queries):
    client = web_for("xuhui_cs")
    ProviderFactory()
    client.get("/network/providers/")  # the first call fills this process's configuration cache (permissions, scope)
    with django_assert_max_num_queries(30) as few:
        client.get("/network/providers/")
    for _ in range(20):
        ProviderFactory().dispatchers.set([users["provider_dispatcher"]])
    client.get("/network/providers/")  # again: setting a provider's dispatchers changed the configuration stamp
    with django_assert_max_num_queries(30) as many:
        client.get("/network/providers/")
    assert len(many.captured_queries) == len(few.captured_queries)
