"""INF-1: a user sees only the org units their role covers — in every page and API endpoint."""

import pytest

from salesservice.core.models import OrgUnit, User
from salesservice.core.scoping import visible_unit_ids
from tests.matrix import Matrix, check_api, check_page

pytestmark = pytest.mark.django_db


def codes(user):
    ids = visible_unit_ids(user)
    return None if ids is None else set(OrgUnit.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_store_staff_see_their_store_only(users):
    assert codes(users["xuhui_cs"]) == {"sh-xuhui"}


def test_region_staff_see_their_regions_stores(users):
    assert codes(users["east_manager"]) == {"east", "sh-xuhui", "hz-xihu"}


def test_hq_department_staff_see_everything(users):
    assert codes(users["hq_service_manager"]) is None
    assert codes(users["auditor"]) is None


def test_provider_dispatcher_sees_no_org_unit(users):
    assert codes(users["provider_dispatcher"]) == set()
    assert not OrgUnit.objects.visible_to(users["provider_dispatcher"]).exists()


def test_user_list_is_scoped(users):
    visible = set(User.objects.visible_to(users["xuhui_cs"]).values_list("username", flat=True))
    assert "tianhe_cs" not in visible
    assert {"xuhui_cs", "xuhui_manager", "xuhui_engineer"} <= visible


def test_xuhui_cs_cannot_see_tianhe_org_unit_in_api(demo, api_for):
    tianhe = demo["gz-tianhe"]
    check_api(
        Matrix(
            f"/api/v1/org-units/{tianhe.pk}/",
            permitted="tianhe_cs",
            out_of_scope="xuhui_cs",
            no_permission="provider_dispatcher",
        ),
        api_for,
    )
    listed = api_for("xuhui_cs").get("/api/v1/org-units/").json()["results"]
    assert [unit["code"] for unit in listed] == ["sh-xuhui"]


def test_xuhui_cs_cannot_see_tianhe_user_in_api(users, api_for):
    check_api(
        Matrix(
            f"/api/v1/users/{users['tianhe_cs'].pk}/",
            permitted="tianhe_cs",
            out_of_scope="xuhui_cs",
            no_permission="provider_dispatcher",
        ),
        api_for,
    )
    names = {u["username"] for u in api_for("xuhui_cs").get("/api/v1/users/?page_size=200").json()["results"]}
    assert "tianhe_cs" not in names and "xuhui_manager" in names


def test_xuhui_cs_cannot_see_tianhe_records_in_pages(demo, users, client):
    check_page(
        Matrix(
            f"/org/units/{demo['gz-tianhe'].pk}/",
            permitted="tianhe_cs",
            out_of_scope="xuhui_cs",
            no_permission="provider_dispatcher",
        ),
        client,
        users,
    )
    check_page(
        Matrix(f"/org/users/{users['tianhe_cs'].pk}/", permitted="hq_service_manager", out_of_scope="xuhui_cs"),
        client,
        users,
    )
    client.force_login(users["xuhui_cs"])
    page = client.get("/org/units/").content.decode()
    assert "上海徐汇店" in page and "广州天河店" not in page


def test_region_manager_sees_both_east_stores_not_south(demo, api_for):
    client = api_for("east_manager")
    assert client.get(f"/api/v1/org-units/{demo['hz-xihu'].pk}/").status_code == 200
    assert client.get(f"/api/v1/org-units/{demo['sz-nanshan'].pk}/").status_code == 404


def test_scoped_document_queryset_follows_the_same_rule(demo, users):
    from tests.workflow_app.models import Ticket

    Ticket.objects.create(title="徐汇", org_unit=demo["sh-xuhui"])
    Ticket.objects.create(title="天河", org_unit=demo["gz-tianhe"])
    assert [t.title for t in Ticket.objects.visible_to(users["xuhui_cs"])] == ["徐汇"]
    assert Ticket.objects.visible_to(users["east_manager"]).count() == 1
    assert Ticket.objects.visible_to(users["hq_service_manager"]).count() == 2
    assert Ticket.objects.visible_to(users["admin"]).count() == 2
    assert Ticket.objects.visible_to(users["provider_dispatcher"]).count() == 0
