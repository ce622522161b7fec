"""RET-2 (issue 12 §14): an eligible return is rejected only with a reason and by a supervisor other than
the person who took it — the desk cannot stall an eligible return by refusing it itself."""

import pytest

from salesservice.core.exceptions import DomainError, PermissionDeniedError

from .. import services
from .factories import make_return, user

pytestmark = pytest.mark.django_db


def test_the_author_cannot_reject_an_eligible_return(demo):
    request = make_return(actor="xuhui_manager")
    assert request.eligible
    with pytest.raises(PermissionDeniedError) as refused:
        services.return_reject(actor=user("xuhui_manager"), return_id=request.pk, reason="库存不足")
    assert refused.value.code == "returns.reject_eligible_needs_supervisor"
    request.refresh_from_db()
    assert request.status == "requested"


def test_a_supervisor_rejects_it_with_a_reason(demo):
    request = make_return(actor="xuhui_cs")
    with pytest.raises(DomainError) as no_reason:
        services.return_reject(actor=user("xuhui_manager"), return_id=request.pk, reason="  ")
    assert no_reason.value.code == "returns.reason_required"
    rejected = services.return_reject(actor=user("xuhui_manager"), return_id=request.pk, reason="商品已激活绑定")
    assert rejected.status == "rejected" and rejected.decided_by == user("xuhui_manager")


def test_the_desk_has_no_right_to_reject_at_all(api_for, demo):
    request = make_return(actor="xuhui_cs")
    response = api_for("xuhui_cs").post(f"/api/v1/returns/{request.pk}/reject/", {"reason": "不想退"})
    assert response.status_code == 403
