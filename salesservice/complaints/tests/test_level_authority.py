"""CMP-7 (issue 12 §12): the complaint's handling level limits who acts — a store manager cannot close or
pay on a complaint escalated to HQ (or to the region): closing is refused, and a payout, even within the
store's own limit, waits for the approval of the level handling the complaint; that level can do both."""

import pytest

from salesservice.core.exceptions import PermissionDeniedError

from .. import compensation, services
from ..choices import ComplaintLevel
from .factories import advance, close_kwargs, make_complaint, top_up, user

pytestmark = pytest.mark.django_db


def _escalated(level, demo):
    complaint = advance(make_complaint(), "feedback_given")
    complaint.level = level
    complaint.save(update_fields=["level"])
    return complaint


@pytest.mark.parametrize(("level", "allowed"), [(ComplaintLevel.REGION, "east_manager"), (ComplaintLevel.HQ, "admin")])
def test_a_store_manager_cannot_close_or_pay_above_its_level(demo, level, allowed):
    top_up("50000")
    complaint = _escalated(level, demo)
    with pytest.raises(PermissionDeniedError) as refused:
        services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert refused.value.code == "complaint.level_authority"
    asked = compensation.compensation_pay(actor=user("xuhui_manager"), complaint_id=complaint.pk, amount="50.00")
    assert not asked.paid and asked.pending.required_level == level
    complaint.refresh_from_db()
    assert complaint.status == "feedback_given"
    compensation.compensation_approve(actor=user(allowed), request_id=asked.pending.pk, note="同意")
    assert complaint.compensation_entries.filter(kind="payout").count() == 1
    closed = services.complaint_close(actor=user(allowed), complaint_id=complaint.pk, **close_kwargs())
    assert closed.status == "closed"


def test_a_store_level_complaint_is_still_closed_by_the_store(demo):
    complaint = _escalated(ComplaintLevel.STORE, demo)
    closed = services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert closed.status == "closed"


def test_the_api_answers_403_with_the_code(api_for, demo):
    complaint = _escalated(ComplaintLevel.HQ, demo)
    response = api_for("xuhui_manager").post(
        f"/api/v1/complaints/{complaint.pk}/close/", {"root_cause": "安装不规范", "responsible_party": "customer"}
    )
    assert response.status_code == 403 and response.json()["code"] == "complaint.level_authority"


def test_the_major_badge_is_readable(web_for, demo):
    """Issue 12 §17: the 重大投诉 badge has its contrasting text colour (it was dark on red)."""
    from .factories import make_complaint as make

    complaint = make(media_exposure=True)
    page = web_for("xuhui_manager").get(f"/complaints/{complaint.pk}/").content.decode()
    badge = page.split('id="major-badge"')[0].rsplit("<span", 1)[1]
    assert "bg-red" in badge and "text-red-fg" in badge
