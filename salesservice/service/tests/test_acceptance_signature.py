"""SRV-5 (issue 12 §11): the customer's acceptance is signed — or staff record why the customer would not
sign; the rating is the customer's, never preselected. Before: 5★ was preselected and an unsigned on-site
confirmation passed."""

import pytest

from salesservice.core.exceptions import DomainError

from .. import services
from ..desk_forms import ConfirmForm
from ..models import ServiceRequest
from .factories import SIGNATURE, ProductFactory, user
from .test_api import _resolved

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(demo):
    return _resolved(ProductFactory())


def test_an_unsigned_onsite_acceptance_is_refused(resolved):
    with pytest.raises(DomainError) as refused:
        services.request_confirm(actor=user("xuhui_cs"), request_id=resolved.pk, method="onsite", rating=5)
    assert refused.value.code == "acceptance.signature_required"
    resolved.refresh_from_db()
    assert resolved.satisfaction is None and not resolved.acceptances.exists()


def test_signed_or_declined_with_a_reason_is_recorded(resolved, demo):
    declined = services.request_confirm(
        actor=user("xuhui_cs"), request_id=resolved.pk, method="onsite", rating=4,
        signature_declined_reason="客户双手不便，口头认可，家属在场",
    )  # fmt: skip
    assert declined.signature_declined_reason.startswith("客户双手不便") and not declined.signature
    other = _resolved(ProductFactory())
    signed = services.request_confirm(
        actor=user("xuhui_cs"), request_id=other.pk, method="onsite", rating=5, signature_data_url=SIGNATURE
    )
    assert signed.signature.name.endswith(".png") and signed.signature_declined_reason == ""


def test_by_phone_the_call_is_the_record(resolved):
    accepted = services.request_confirm(actor=user("xuhui_cs"), request_id=resolved.pk, method="phone", rating=3)
    assert accepted.accepted and not accepted.signature


def test_the_customer_link_needs_a_signature(resolved):
    token = services.acceptance_link_create(actor=user("xuhui_cs"), request_id=resolved.pk)
    with pytest.raises(DomainError) as refused:
        services.acceptance_by_token(token, accepted=True, rating=5, comment="没签")
    assert refused.value.code == "acceptance.signature_required"


def test_the_rating_starts_empty_on_both_forms(resolved, client, api_for):
    form = ConfirmForm.for_action(obj=resolved, user=user("xuhui_cs"))
    assert form["rating"].value() in (None, "")
    assert not form.is_bound
    refused = ConfirmForm.for_action(obj=resolved, user=user("xuhui_cs"), data={"method": "phone"})
    assert not refused.is_valid() and "rating" in refused.errors
    token = services.acceptance_link_create(actor=user("xuhui_cs"), request_id=resolved.pk)
    page = client.get(f"/service/accept/{token}/").content.decode()
    assert "checked" not in page.split('name="rating"')[1].split(">")[0]


def test_the_api_refuses_an_unsigned_onsite_confirmation(resolved, api_for):
    url = f"/api/v1/service-requests/{resolved.pk}/confirm/"
    response = api_for("xuhui_cs").post(url, {"method": "onsite", "rating": 5}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "acceptance.signature_required"
    assert ServiceRequest.objects.get(pk=resolved.pk).satisfaction is None
