"""Notifications: one service, the bell, mark read — in-app and by email after commit."""

import pytest
from django.core import mail
from django.utils import timezone

from salesservice.core.models import Notification
from salesservice.core.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_notify_creates_one_per_recipient_and_emails_after_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            recipients=[users["xuhui_cs"], users["xuhui_cs"], users["xuhui_manager"]],
            title="服务单即将超时",
            body="SR-20261122-0001 将在 1 小时内超时",
            url="/",
            email=True,
        )
    assert len(rows) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["xuhui_cs@demo.example.com", "xuhui_manager@demo.example.com"]
    assert all(m.subject.endswith("服务单即将超时") for m in mail.outbox)
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_no_email_when_transaction_rolls_back(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[users["xuhui_cs"]], title="x", email=True)
    assert len(callbacks) == 1 and mail.outbox == []


def test_inactive_users_are_not_notified(users):
    users["tianhe_cs"].is_active = False
    users["tianhe_cs"].save()
    assert notify(recipients=[users["tianhe_cs"]], title="x") == []


def test_api_lists_only_my_notifications_and_marks_read(users, api_for):
    notify(recipients=[users["xuhui_cs"]], title="给徐汇")
    notify(recipients=[users["tianhe_cs"]], title="给天河")
    client = api_for("xuhui_cs")
    listed = client.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [n["title"] for n in listed] == ["给徐汇"]
    other = Notification.objects.get(title="给天河")
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    mine = listed[0]["id"]
    response = client.post(f"/api/v1/notifications/{mine}/read/").json()
    assert response == {"updated": 1, "unread": 0}
    assert unread_count(users["tianhe_cs"]) == 1


def test_read_all_and_unread_count(users, api_for):
    notify(recipients=[users["xuhui_cs"]], title="一")
    notify(recipients=[users["xuhui_cs"]], title="二")
    client = api_for("xuhui_cs")
    assert client.get("/api/v1/notifications/unread-count/").json()["unread"] == 2
    assert client.post("/api/v1/notifications/read-all/").json()["updated"] == 2
    assert client.get("/api/v1/notifications/unread-count/").json()["unread"] == 0


def test_bell_shows_unread_count_and_page_marks_read(users, web_for):
    notify(recipients=[users["xuhui_cs"]], title="请回访客户", url="/")
    client = web_for("xuhui_cs")
    bell = client.get("/notifications/bell/").content.decode()
    assert 'id="bell-count">1<' in bell
    page = client.get("/notifications/").content.decode()
    assert "请回访客户" in page
    notification = Notification.objects.get(title="请回访客户")
    client.post(f"/notifications/{notification.pk}/read/")
    assert "bell-count" not in client.get("/notifications/bell/").content.decode()
    other = notify(recipients=[users["tianhe_cs"]], title="别人的")[0]
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404


def test_a_notification_title_opens_its_record(users, web_for):
    """Issue 12 §17: the title itself leads to the record (marking it read), not only a small 查看 button."""
    notify(recipients=[users["xuhui_cs"]], title="投诉即将超时：CP-1", body="", url="/complaints/1/")
    client = web_for("xuhui_cs")
    page = client.get("/notifications/").content.decode()
    title = page.split('data-testid="notification-title"')[0].rsplit("<button", 1)[1]
    assert 'name="next" value="follow"' in title and 'form="notification-' in title
    note = users["xuhui_cs"].notifications.get()
    followed = client.post(f"/notifications/{note.pk}/read/", {"next": "follow"})
    assert followed.status_code == 302 and followed["Location"] == "/complaints/1/"


def test_a_busy_inbox_shows_99_plus_on_the_bell_and_the_workbench_with_the_count_on_hover(users, web_for):
    """The bell and the workbench's 未读通知 read "99+" above 99, as the workbench queues do; the exact count stays
    in the badge's title (and in the API's unread-count)."""
    notify(recipients=[users["xuhui_cs"]], title="一")
    client = web_for("xuhui_cs")
    Notification.objects.bulk_create([Notification(recipient=users["xuhui_cs"], title=f"通知 {i}") for i in range(99)])
    bell = client.get("/notifications/bell/").content.decode()
    assert 'title="100 条未读" id="bell-count">99+<' in bell
    assert 'title="100">99+</span>' in client.get("/").content.decode()
    Notification.objects.filter(title="一").update(read_at=timezone.now())
    assert 'id="bell-count">99<' in client.get("/notifications/bell/").content.decode()
    assert 'title="99">99</span>' in client.get("/").content.decode()
