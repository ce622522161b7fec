"""The provider ladder on the document kernel: the declared workflow gives the same transition table as the
hand-written one it replaced; the provider page shows exactly the ladder buttons the user may press in each
state; the API action is documented with its request body."""

import re

import pytest

from salesservice.core.workflow import REGISTRY, workflow_for

from ..choices import ProviderStatus as S
from ..models import ServiceProvider
from ..workflows import PROVIDER_WORKFLOW
from .factories import ProviderFactory

# The table choices.TRANSITIONS held before the workflow was declared (NET-3: any move up the ladder, back
# to 正常 after rectification, 撤点 is final).
OLD_TRANSITIONS = {
    S.ACTIVE: {S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED, S.REMOVED},
    S.WARNED: {S.ACTIVE, S.RECTIFYING, S.DISPATCH_STOPPED, S.REMOVED},
    S.RECTIFYING: {S.ACTIVE, S.DISPATCH_STOPPED, S.REMOVED},
    S.DISPATCH_STOPPED: {S.ACTIVE, S.REMOVED},
    S.REMOVED: set(),
}


def test_derived_transition_table_equals_the_old_one():
    assert PROVIDER_WORKFLOW.transitions == OLD_TRANSITIONS
    assert REGISTRY["network.ServiceProvider"] is PROVIDER_WORKFLOW
    assert set(PROVIDER_WORKFLOW.states) == set(S.values)
    assert PROVIDER_WORKFLOW.terminal_states == (S.REMOVED,)
    # One action with a page form and an API endpoint; the ladder steps only declare the moves.
    assert [a.name for a in PROVIDER_WORKFLOW.actions.values() if a.page or a.api] == ["change-status"]


def _ladder_buttons(html: str) -> set[str]:
    form = re.search(r'<form[^>]*id="status-form".*?</form>', html, re.S)
    return set(re.findall(r'name="to_status" value="([a-z_]+)"', form.group(0))) if form else set()


# state → the ladder buttons of a user who may change the status (the others see no status form at all).
EXPECTED = {
    S.ACTIVE: {"warned", "rectifying", "dispatch_stopped", "removed"},
    S.WARNED: {"active", "rectifying", "dispatch_stopped", "removed"},
    S.RECTIFYING: {"active", "dispatch_stopped", "removed"},
    S.DISPATCH_STOPPED: {"active", "removed"},
    S.REMOVED: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(EXPECTED))
def test_provider_page_shows_exactly_the_moves_allowed_now(demo, web_for, state):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"], status=state)
    url = f"/network/providers/{provider.pk}/"
    html = web_for("hq_service_manager").get(url).content.decode()
    assert _ladder_buttons(html) == EXPECTED[state]
    assert ('id="status-form"' in html) == bool(EXPECTED[state])
    assert f'data-status="{state}"' in html and PROVIDER_WORKFLOW.color(state) in html
    for username in ("xuhui_cs", "xuhui_manager"):  # may read the provider, not change its status
        assert 'id="status-form"' not in web_for(username).get(url).content.decode()


@pytest.mark.django_db
def test_the_workflow_action_url_works_like_the_old_status_url(demo, web_for):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    client = web_for("hq_service_manager")
    html = client.get(f"/network/providers/{provider.pk}/").content.decode()
    assert f'action="/network/providers/{provider.pk}/status/"' in html
    moved = client.post(
        f"/network/providers/{provider.pk}/change-status/", {"to_status": "warned", "reason": "首次违规"}
    )
    assert moved.status_code == 302
    assert ServiceProvider.objects.get(pk=provider.pk).status == S.WARNED
    refused = client.post(f"/network/providers/{provider.pk}/change-status/", {"to_status": "warned", "reason": "x"})
    assert refused.status_code == 400 and "不能从" in refused.content.decode()
    assert client.post(f"/network/providers/{provider.pk}/warn/", {"reason": "x"}).status_code == 404
    assert web_for("xuhui_cs").post(f"/network/providers/{provider.pk}/change-status/", {}).status_code == 403


@pytest.mark.django_db
def test_list_badges_come_from_the_workflow(demo, web_for):
    ProviderFactory(org_unit=demo["sh-xuhui"], status=S.RECTIFYING)
    html = web_for("hq_service_manager").get("/network/providers/").content.decode()
    assert str(PROVIDER_WORKFLOW.badge(S.RECTIFYING, extra_class="text-white")) in html
    assert workflow_for(ServiceProvider) is PROVIDER_WORKFLOW


@pytest.mark.django_db
def test_api_action_is_in_the_schema_with_its_request_body(demo, api_for):
    schema = api_for("hq_service_manager").get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/service-providers/{id}/change-status/"]["post"]
    assert operation["tags"] == ["service-providers"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ProviderStatusChangeRequest")
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith("/ServiceProvider")
    assert {"400", "403", "404", "409"} <= set(operation["responses"])
    assert not [
        path for path in schema["paths"] if re.search(r"/service-providers/\{id\}/(warn|remove|restore)/", path)
    ]
