"""NET-3 automated: the violation ladder moves a provider up on the month's count — warning letter, rectification
with its deadline, stop dispatch — each rung a numbered notice sent to the provider and the managers; a stopped
provider is refused dispatch; a manager's move up the ladder issues its notice too; the notices print and list
through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.models import Notification

from .. import services
from ..choices import ProviderStatus as S
from ..models import ProviderSanction
from .factories import ProviderFactory

pytestmark = pytest.mark.django_db


def _violate(users, provider, day, text="上门迟到"):
    return services.violation_record(
        actor=users["hq_service_manager"], provider_id=provider.pk, occurred_on=day, description=text
    )


def test_three_violations_in_a_month_stop_dispatch_with_a_notice_at_each_rung(users, demo):
    """NET-3: 1 → 发函警告, 2 → 限期整改 (deadline = today + network.rectification_days), 3 → 停止派工; the
    dispatch gate then refuses the provider (dispatch.provider_stopped)."""
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    provider.dispatchers.add(users["provider_dispatcher"])
    today = timezone.localdate()
    assert services.provider_dispatch_check(provider) == []
    rungs = []
    for n in range(3):
        _violate(users, provider, today, f"违规 {n + 1}")
        provider.refresh_from_db()
        rungs.append(provider.status)
    assert rungs == [S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED]
    notices = list(ProviderSanction.objects.filter(provider=provider).order_by("issued_at", "id"))
    assert [n.rung for n in notices] == rungs and all(n.automatic for n in notices)
    assert [n.violation_count for n in notices] == [1, 2, 3]
    assert len({n.number for n in notices}) == 3 and notices[0].number.startswith("NS")
    assert notices[1].rectify_by == today + dt.timedelta(days=15) and notices[0].rectify_by is None
    assert "警告" in notices[0].notice and str(notices[1].rectify_by) in notices[1].notice
    assert "停止向贵网点派工" in notices[2].notice
    reasons = services.provider_dispatch_check(provider)
    assert [r.code for r in reasons] == ["dispatch.provider_stopped"]
    told = Notification.objects.filter(recipient=users["provider_dispatcher"], kind="network.sanction")
    assert told.count() == 3


def test_violations_of_different_months_do_not_add_up(users, demo):
    """NET-3 counts per month: one last month and one this month leave the provider at the warning."""
    provider = ProviderFactory()
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    _violate(users, provider, last_month)
    _violate(users, provider, today)
    provider.refresh_from_db()
    assert provider.status == S.WARNED
    assert list(provider.sanctions.values_list("violation_count", flat=True)) == [1]


def test_a_managers_move_up_the_ladder_issues_its_notice_and_restore_does_not(users, demo):
    provider = ProviderFactory()
    manager = users["hq_service_manager"]
    services.provider_change_status(
        actor=manager, provider_id=provider.pk, to_status=S.RECTIFYING, reason="客户投诉集中"
    )
    sanction = provider.sanctions.get()
    assert sanction.rung == S.RECTIFYING and not sanction.automatic and sanction.issued_by == manager
    assert sanction.rectify_by is not None and "客户投诉集中" in sanction.notice
    services.provider_change_status(actor=manager, provider_id=provider.pk, to_status=S.ACTIVE, reason="整改验收合格")
    assert provider.sanctions.count() == 1


def test_sanctions_api_page_and_print(users, demo, api_for, web_for):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    _violate(users, provider, timezone.localdate())
    body = api_for("hq_service_manager").get(f"/api/v1/service-providers/{provider.pk}/sanctions/").json()
    assert [row["rung"] for row in body] == ["warned"] and body[0]["automatic"] is True
    sanction = provider.sanctions.get()
    page = web_for("hq_service_manager").get(f"/network/providers/{provider.pk}/").content.decode()
    assert sanction.number in page and "警告" in page
    pdf = web_for("hq_service_manager").get(f"/network/providers/{provider.pk}/sanctions/{sanction.pk}/print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
