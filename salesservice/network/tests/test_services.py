"""Providers (NET-1…NET-4): the NET-3 dispatch gate, the status ladder through the one door,
notifications, violations, scoping and the selectors the service desk uses."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.events import events_for
from salesservice.core.exceptions import ConflictError, DomainError, InvalidTransition, PermissionDeniedError
from salesservice.core.models import Notification
from salesservice.network import services
from salesservice.network.choices import ProviderStatus
from salesservice.network.models import ServiceProvider
from salesservice.network.selectors import dispatchable_providers, provider_ids_for_dispatcher

from .factories import ProviderFactory, ViolationFactory

pytestmark = pytest.mark.django_db
S = ProviderStatus


@pytest.mark.parametrize(
    "status, code",
    [
        (S.ACTIVE, None),
        (S.WARNED, None),
        (S.RECTIFYING, None),
        (S.DISPATCH_STOPPED, "dispatch.provider_stopped"),
        (S.REMOVED, "dispatch.provider_removed"),
    ],
)
def test_dispatch_check_for_each_status(demo, status, code):
    provider = ProviderFactory(status=status, name="快修网点")
    reasons = services.provider_dispatch_check(provider)
    if code is None:
        assert reasons == []
    else:
        [reason] = reasons
        assert reason.code == code and "快修网点" in reason.message and "不能派工" in reason.message


def change(users, provider, to_status, actor="hq_service_manager", reason="违规"):
    return services.provider_change_status(
        actor=users[actor], provider_id=provider.pk, to_status=to_status, reason=reason
    )


def test_ladder_up_and_back_to_active_after_rectification(users, demo):
    provider = ProviderFactory()
    for status in (S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED, S.ACTIVE):
        change(users, provider, status, reason=f"到{status}")
    provider.refresh_from_db()
    assert provider.status == S.ACTIVE and provider.version == 5 and provider.status_reason == "到active"
    assert provider.status_changed_at is not None
    moves = [e.new["status"] for e in events_for(provider) if e.event_type == "core.status_changed"]
    assert moves == ["active", "dispatch_stopped", "rectifying", "warned"]


def test_removed_is_final_and_illegal_moves_change_nothing(users, demo):
    provider = ProviderFactory(status=S.DISPATCH_STOPPED, status_reason="三次违规")
    with pytest.raises(InvalidTransition) as error:
        change(users, provider, S.WARNED)
    assert error.value.code == "status.invalid_transition" and error.value.status_code == 409
    provider.refresh_from_db()
    assert (provider.status, provider.version, provider.status_reason) == (S.DISPATCH_STOPPED, 1, "三次违规")
    change(users, provider, S.REMOVED, reason="整改不合格，撤点")
    for target in (S.ACTIVE, S.WARNED, S.DISPATCH_STOPPED, S.REMOVED):
        with pytest.raises(InvalidTransition):
            change(users, provider, target)
    with pytest.raises(InvalidTransition):
        change(users, ProviderFactory(), S.ACTIVE)  # already active


def test_status_change_needs_reason_and_permission(users, demo):
    provider = ProviderFactory()
    with pytest.raises(DomainError) as error:
        change(users, provider, S.WARNED, reason="  ")
    assert error.value.code == "provider.reason_required"
    for username in ("xuhui_manager", "east_manager", "xuhui_cs", "hr_trainer"):
        with pytest.raises(PermissionDeniedError):
            change(users, provider, S.WARNED, actor=username)
    provider.refresh_from_db()
    assert provider.status == S.ACTIVE and provider.version == 1


def test_status_change_notifies_dispatchers_and_unit_managers(users, demo):
    provider = ProviderFactory()
    provider.dispatchers.set([users["provider_dispatcher"]])
    change(users, provider, S.DISPATCH_STOPPED, reason="一个月三次违规")
    recipients = set(
        Notification.objects.filter(kind="network.provider_status").values_list("recipient__username", flat=True)
    )
    assert recipients == {"provider_dispatcher", "xuhui_manager"}
    notification = Notification.objects.filter(kind="network.provider_status").first()
    assert "停止派工" in notification.title and notification.body == "一个月三次违规"


def test_visibility_by_org_unit_region_and_dispatcher(users, demo):
    xuhui = ProviderFactory(org_unit=demo["sh-xuhui"])
    east = ProviderFactory(org_unit=demo["east"])
    south = ProviderFactory(org_unit=demo["south"])
    nanshan = ProviderFactory(org_unit=demo["sz-nanshan"])
    xuhui.dispatchers.set([users["provider_dispatcher"]])

    def visible(username):
        return set(ServiceProvider.objects.visible_to(users[username]))

    assert visible("xuhui_cs") == {xuhui, east}  # the region's provider serves the store
    assert visible("tianhe_cs") == {south}
    assert visible("east_manager") == {xuhui, east}
    assert visible("hq_service_manager") == {xuhui, east, south, nanshan}
    assert visible("provider_dispatcher") == {xuhui}


def test_selectors_for_the_service_desk(users, demo):
    xuhui = ProviderFactory(org_unit=demo["sh-xuhui"])
    east_warned = ProviderFactory(org_unit=demo["east"], status=S.WARNED)
    ProviderFactory(org_unit=demo["sh-xuhui"], status=S.DISPATCH_STOPPED)
    ProviderFactory(org_unit=demo["east"], status=S.REMOVED)
    south = ProviderFactory(org_unit=demo["south"], status=S.RECTIFYING)
    xuhui.dispatchers.set([users["provider_dispatcher"]])
    assert provider_ids_for_dispatcher(users["provider_dispatcher"]) == [xuhui.pk]
    assert provider_ids_for_dispatcher(users["xuhui_cs"]) == []
    assert set(dispatchable_providers()) == {xuhui, east_warned, south}
    assert set(dispatchable_providers(unit_ids=[demo["sh-xuhui"].pk])) == {xuhui, east_warned}
    assert set(dispatchable_providers(unit_ids=[demo["gz-tianhe"].pk])) == {south}
    assert list(dispatchable_providers(unit_ids=[])) == []


def test_create_update_and_stale_version(users, demo):
    manager = users["hq_service_manager"]
    provider = services.provider_create(
        actor=manager, code="WX-1", name=" 测试网点 ", org_unit=demo["east"], dispatchers=[users["provider_dispatcher"]]
    )
    assert provider.name == "测试网点" and provider.status == S.ACTIVE
    with pytest.raises(DomainError) as error:
        services.provider_create(actor=manager, code="WX-1", name="重复", org_unit=demo["east"])
    assert error.value.code == "provider.duplicate_code"
    services.provider_update(actor=manager, provider_id=provider.pk, expected_version=1, dispatchers=[], phone="1")
    with pytest.raises(ConflictError):
        services.provider_update(actor=manager, provider_id=provider.pk, expected_version=1, phone="2")
    provider.refresh_from_db()
    assert provider.phone == "1" and list(provider.dispatchers.all()) == []
    updated = [e for e in events_for(provider) if e.event_type == "network.provider_updated"][0]
    assert updated.old["dispatchers"] == [users["provider_dispatcher"].pk] and updated.new["dispatchers"] == []
    with pytest.raises(DomainError):
        services.provider_update(actor=manager, provider_id=provider.pk, expected_version=2, status="removed")
    with pytest.raises(PermissionDeniedError):
        services.provider_create(actor=users["xuhui_manager"], code="WX-2", name="x", org_unit=demo["sh-xuhui"])


def test_violation_record_and_ladder_suggestion(users, demo):
    provider = ProviderFactory()
    today = timezone.localdate()
    violation = services.violation_record(
        actor=users["hq_service_manager"], provider_id=provider.pk, occurred_on=today, description="迟到"
    )
    assert violation.recorded_by == users["hq_service_manager"]
    assert "network.violation_recorded" in [e.event_type for e in events_for(provider)]
    provider.refresh_from_db()
    assert provider.status == S.WARNED  # default ladder: 1 → warning, applied on record (NET-3)
    assert services.suggested_status(provider, today) is None
    ViolationFactory.create_batch(2, provider=provider, occurred_on=today)  # written around the service
    assert services.suggested_status(provider, today) == S.DISPATCH_STOPPED
    with pytest.raises(DomainError) as error:
        services.violation_record(
            actor=users["hq_service_manager"],
            provider_id=provider.pk,
            occurred_on=today + dt.timedelta(days=1),
            description="x",
        )
    assert error.value.code == "violation.invalid_date"
    with pytest.raises(PermissionDeniedError):
        services.violation_record(actor=users["xuhui_cs"], provider_id=provider.pk, occurred_on=today, description="x")
