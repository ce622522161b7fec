"""DOC-1 "acknowledgements remind": those concerned who have not confirmed an issued version after
`documents.ack_reminder_days` are reminded once a day (fixed clock); the workbench lists their unread versions."""

import datetime as dt

from django.utils import timezone

from salesservice.core.models import Notification

from .. import services
from ..models import Acknowledgement
from .factories import issued, user


def _reminded() -> list[str]:
    return sorted(
        Notification.objects.filter(kind="documents.ack_reminder").values_list("recipient__username", flat=True)
    )


def _local_morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def test_reminders_after_the_policy_days_once_a_day():
    version = issued()  # concerns cs_rep and store_manager everywhere: xuhui_cs, tianhe_cs, xuhui_manager
    services.version_acknowledge(actor=user("xuhui_manager"), version_id=version.pk)
    now = timezone.now()
    assert services.acknowledgements_remind(now=now + dt.timedelta(days=2)) == 0  # within 3 days (the default)
    assert _reminded() == []
    # 09:00 local on the fourth day after the issue, so that two hours later is still the same local day
    # whatever the time the suite runs at (the day is the company's, Asia/Shanghai, not UTC's)
    day4 = _local_morning(timezone.localdate(now) + dt.timedelta(days=4))
    assert services.acknowledgements_remind(now=day4) == 2
    assert _reminded() == ["tianhe_cs", "xuhui_cs"]
    assert services.acknowledgements_remind(now=day4 + dt.timedelta(hours=2)) == 0  # same day: idempotent
    assert len(_reminded()) == 2
    services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    assert services.acknowledgements_remind(now=day4 + dt.timedelta(days=1)) == 1  # next day: only who has not read
    assert _reminded() == ["tianhe_cs", "tianhe_cs", "xuhui_cs"]
    row = Acknowledgement.objects.get(version=version, user__username="tianhe_cs")
    assert row.reminders == 2 and row.acknowledged_at is None
    tianhe = user("tianhe_cs")
    tianhe.is_active = False  # left the company: no longer asked to read
    tianhe.save(update_fields=["is_active"])
    assert services.acknowledgements_remind(now=day4 + dt.timedelta(days=2)) == 0


def test_the_reminder_period_is_the_policy_parameter():
    from salesservice.core.policy import policy_set

    from ..testing import approved_version

    policy_set(
        actor=user("admin"),
        key="documents.ack_reminder_days",
        value=10,
        reason="延长阅读期限",
        document_version=approved_version("DOC-1"),
    )
    issued()
    assert services.acknowledgements_remind(now=timezone.now() + dt.timedelta(days=4)) == 0
    assert services.acknowledgements_remind(now=timezone.now() + dt.timedelta(days=11)) == 3


def test_the_workbench_panel_lists_my_unread_documents(web_for):
    version = issued()
    page = web_for("xuhui_cs").get("/").content.decode()
    assert "待阅读确认的文件" in page and f"{version.document.code}" in page
    services.version_acknowledge(actor=user("xuhui_cs"), version_id=version.pk)
    page = web_for("xuhui_cs").get("/").content.decode()
    assert "没有待阅读确认的文件" in page
