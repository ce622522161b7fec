"""SRV-4 dispatch gates: PPL-4 (only certified engineers) and NET-3 (no stopped or removed provider),
in the service and in the API (409 with the reason's code)."""

import pytest

from salesservice.network.choices import ProviderStatus

from .. import services
from ..choices import DispatchMode
from ..choices import ServiceRequestStatus as S
from .factories import EngineerFactory, ProductFactory, ProviderFactory, certified_engineer, make_request, store, user


@pytest.fixture
def contacted(demo):
    request = make_request(product=ProductFactory())
    return services.request_contact(actor=user("xuhui_cs"), request_id=request.pk)


def test_dispatch_refused_for_uncertified_engineer(contacted):
    with pytest.raises(services.DispatchRefused) as refused:
        services.request_dispatch(
            actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.ONSITE, engineer=EngineerFactory()
        )
    assert refused.value.code == "dispatch.uncertified"
    assert refused.value.status_code == 409
    contacted.refresh_from_db()
    assert contacted.status == S.CONTACTED and contacted.assignee is None


def test_dispatch_allowed_for_certified_engineer(contacted):
    engineer = certified_engineer(contacted.product)
    request = services.request_dispatch(
        actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.ONSITE, engineer=engineer
    )
    assert request.status == S.DISPATCHED and request.assignee == engineer


def test_dispatch_refused_for_engineer_of_another_store(contacted):
    engineer = EngineerFactory(unit=store("gz-tianhe"))
    from salesservice.people.tests.factories import CertificationFactory

    CertificationFactory(user=engineer, category=contacted.product.category)
    with pytest.raises(services.DispatchRefused) as refused:
        services.request_dispatch(
            actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.ONSITE, engineer=engineer
        )
    assert refused.value.code == "dispatch.engineer_out_of_scope"


@pytest.mark.parametrize(
    "status, code",
    [
        (ProviderStatus.DISPATCH_STOPPED, "dispatch.provider_stopped"),
        (ProviderStatus.REMOVED, "dispatch.provider_removed"),
    ],
)
def test_dispatch_refused_for_sanctioned_provider(contacted, status, code):
    provider = ProviderFactory(status=status)
    with pytest.raises(services.DispatchRefused) as refused:
        services.request_dispatch(
            actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.PROVIDER, provider=provider
        )
    assert refused.value.code == code


def test_dispatch_to_active_provider_and_redispatch(contacted):
    provider = ProviderFactory(status=ProviderStatus.WARNED)
    request = services.request_dispatch(
        actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.PROVIDER, provider=provider
    )
    assert request.provider == provider and request.assignee is None
    engineer = certified_engineer(contacted.product)
    request = services.request_dispatch(
        actor=user("xuhui_cs"), request_id=contacted.pk, mode=DispatchMode.REMOTE, engineer=engineer
    )
    assert request.status == S.DISPATCHED and request.provider is None and request.assignee == engineer


def test_engineer_role_may_not_dispatch(contacted):
    with pytest.raises(services.PermissionDeniedError):
        services.request_dispatch(
            actor=user("xuhui_engineer"),
            request_id=contacted.pk,
            mode=DispatchMode.ONSITE,
            engineer=certified_engineer(contacted.product),
        )


def test_api_dispatch_refusals_are_409_with_code(contacted, api_for):
    client = api_for("xuhui_cs")
    url = f"/api/v1/service-requests/{contacted.pk}/dispatch/"
    response = client.post(url, {"mode": "onsite", "engineer": EngineerFactory().pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "dispatch.uncertified"
    assert "上岗资格" in response.json()["detail"]

    stopped = ProviderFactory(status=ProviderStatus.DISPATCH_STOPPED)
    response = client.post(url, {"mode": "provider", "provider": stopped.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "dispatch.provider_stopped"

    engineer = certified_engineer(contacted.product)
    response = client.post(url, {"mode": "onsite", "engineer": engineer.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "dispatched" and response.json()["assignee"] == engineer.pk
