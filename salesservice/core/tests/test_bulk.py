"""The bulk writers the sweeps use (DESIGN §8): rows written by COPY read back as Django would have saved them,
and the escalation ladder answered for many stores at once is the one `level_managers` answers per store."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from salesservice.core.bulk import copy_create, copy_insert
from salesservice.core.choices import NotificationLevel, OrgUnitKind
from salesservice.core.clocks import NOTIFICATION_FIELDS, BatchWriter, ladder_managers
from salesservice.core.directory import level_managers
from salesservice.core.models import Event, Notification, OrgUnit


def test_copy_create_reads_back_what_bulk_create_would_save(users):
    """Plain values (ints, strings, aware datetimes) skip Django's preparation; JSON, enums and lazy strings don't."""
    at = timezone.now().replace(microsecond=123456)
    target = users["xuhui_cs"]
    rows = [
        Event(
            event_type="test.bulk",
            actor=target,
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
            old=None,
            new={"level": 1, "due_at": at.isoformat(), "名": "值"},
            message=f"第 {number} 条",
            via="job",
            created_at=at,
        )
        for number in range(3)
    ]
    copy_create(rows)
    assert all(row.pk for row in rows)
    saved = Event.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk")
    assert [(e.actor_id, e.target_id, e.old, e.new, e.message, e.created_at) for e in saved] == [
        (target.pk, str(target.pk), None, {"level": 1, "due_at": at.isoformat(), "名": "值"}, f"第 {n} 条", at)
        for n in range(3)
    ]


def test_copy_insert_writes_column_values_without_instances(users):
    stamp = timezone.now()
    recipient = users["xuhui_cs"]
    copy_insert(
        Notification,
        NOTIFICATION_FIELDS,
        [(recipient.pk, "标题", "正文", "/x/", NotificationLevel.URGENT, "test.bulk", stamp)] * 2,
    )
    saved = list(Notification.objects.filter(recipient=recipient, kind="test.bulk"))
    assert len(saved) == 2 and saved[0].pk != saved[1].pk
    assert {(n.title, n.body, n.url, n.level, n.read_at) for n in saved} == {("标题", "正文", "/x/", "urgent", None)}
    assert all(abs(n.created_at - stamp) < dt.timedelta(minutes=1) for n in saved)  # bulk_create's auto_now off PG


def test_batch_writer_notifies_each_active_recipient_once(users):
    recipient, other = users["xuhui_cs"], users["xuhui_manager"]
    writer = BatchWriter(timezone.now())
    writer.notify(recipients=[recipient, other, recipient, None], title="超时", kind="test.bulk")
    writer.write()
    assert sorted(Notification.objects.filter(kind="test.bulk").values_list("recipient_id", "level")) == sorted(
        [(recipient.pk, NotificationLevel.INFO), (other.pk, NotificationLevel.INFO)]
    )


@pytest.mark.parametrize("level", [0, 1, 2])
def test_ladder_managers_for_many_stores_are_level_managers_of_each(demo, level):
    stores = list(OrgUnit.objects.filter(kind=OrgUnitKind.STORE))
    assert stores
    answered = ladder_managers(stores, level)
    for store in stores:
        assert answered[store.pk] == level_managers(store, level), store


def test_ladder_managers_of_no_stores_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ladder_managers([], 0) == {}
        assert ladder_managers([OrgUnit(pk=10**9, parent_id=None)], 1) == {10**9: []}


def test_naive_datetimes_still_go_through_django(users):
    """A naive datetime is made aware by Django's preparation (with its warning), not written as it is."""
    naive = dt.datetime(2026, 1, 2, 3, 4, 5)
    target = users["xuhui_cs"]
    row = Event(
        event_type="test.bulk",
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        created_at=naive,
    )
    with pytest.warns(RuntimeWarning):
        copy_create([row])
    assert Event.objects.get(pk=row.pk).created_at == timezone.make_aware(naive)
