"""One FilterSet per model (CONVENTIONS, NetBox): the org-unit, user and audit-log pages share theirs with the
API, so a filter value narrows both alike; the shared building blocks (date or datetime, ids offered as a scoped
select, filters shown only while a link sets them)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ..api.views import AuditLogViewSet, OrgUnitViewSet, UserViewSet
from ..filtersets import LogEntryFilterSet, OrgUnitFilterSet, UserFilterSet
from ..views.pages import AuditLogListView, OrgUnitListView, UserListView
from .filter_helpers import api_ids, page_ids

pytestmark = pytest.mark.django_db


def test_the_pages_and_the_api_share_one_filterset_per_model():
    assert OrgUnitListView.filterset_class is OrgUnitViewSet.filterset_class is OrgUnitFilterSet
    assert UserListView.filterset_class is UserViewSet.filterset_class is UserFilterSet
    assert AuditLogListView.filterset_class is AuditLogViewSet.filterset_class is LogEntryFilterSet


def test_kind_and_role_narrow_the_pages_and_the_api_alike(demo, users, web_for, api_for):
    web, api = web_for("east_manager"), api_for("east_manager")
    stores = {unit.pk for unit in demo.values() if unit.kind == "store" and unit.path.startswith(demo["east"].path)}
    params = {"kind": "store"}
    assert page_ids(web, "/org/units/", params, "core:org-unit-detail") == api_ids(api, "/api/v1/org-units/", params)
    assert api_ids(api, "/api/v1/org-units/", params) == stores
    params = {"role": "engineer", "org_unit": demo["sh-xuhui"].pk}
    assert page_ids(web, "/org/users/", params, "core:user-detail") == api_ids(api, "/api/v1/users/", params)
    assert users["xuhui_engineer"].pk in api_ids(api, "/api/v1/users/", params)
    assert api_for("admin").get("/api/v1/org-units/", {"kind": "planet"}).status_code == 400


def _entry(actor, when):
    unit = actor.memberships.first().org_unit
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(unit),
        object_pk=str(unit.pk),
        object_repr=unit.name,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        timestamp=when,
        changes={"name": ["a", "b"]},
    )


def _page_log(client, params):
    response = client.get("/audit/log/", params)
    assert response.status_code == 200
    return set(response.context["filterset"].qs.values_list("pk", flat=True))


def test_audit_log_actor_action_and_days_narrow_the_page_and_the_api_alike(users, web_for, api_for):
    LogEntry.objects.all().delete()
    noon = timezone.make_aware(dt.datetime(2025, 6, 2, 12, 0))
    morning = _entry(users["xuhui_cs"], noon - dt.timedelta(hours=3))
    evening = _entry(users["tianhe_cs"], noon + dt.timedelta(hours=8))
    web, api = web_for("auditor"), api_for("auditor")
    cases = [
        ({"actor": users["xuhui_cs"].pk}, {morning.pk}),  # the API's id
        ({"actor": "tianhe_cs"}, {evening.pk}),  # the page's username
        ({"action": "update", "model": "core.orgunit"}, {morning.pk, evening.pk}),
        ({"action": "create"}, set()),
        ({"since": "2025-06-02", "until": "2025-06-02"}, {morning.pk, evening.pk}),
        ({"until": noon.isoformat()}, {morning.pk}),
        ({"since": noon.isoformat()}, {evening.pk}),
        ({"until": "2025-06-01"}, set()),
    ]
    for params, expected in cases:
        assert _page_log(web, params) == api_ids(api, "/api/v1/audit-log/", params) == expected, params


def test_an_id_only_filter_is_left_off_the_side_form_until_a_link_sets_it(web_for):
    web = web_for("admin")
    assert "parent" not in [field.name for field in web.get("/org/units/").context["filterset"].form]
    shown = web.get("/org/units/", {"parent": 1}).context["filterset"].form
    assert "parent" in [field.name for field in shown]
