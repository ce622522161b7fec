"""Issue 17 §2: `core.inserts.insert_created` writes a new record, the audit entry auditlog's receiver would have
written and the timeline event — by statements built once — and nothing twice."""

import json

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from salesservice.core import context
from salesservice.core.events import build_event
from salesservice.core.inserts import insert_created
from salesservice.core.models import Event, OrgUnit

pytestmark = pytest.mark.django_db


def test_a_created_record_gets_the_entry_auditlog_would_write_and_its_event(users, demo):
    actor = users["admin"]
    unit = OrgUnit(code="lean-store", name="精简门店", kind="store", parent=demo["east"], path="")
    with context.acting(actor):
        insert_created(unit, build_event(event_type="core.created", target=unit, actor=actor, new={"code": "lean"}))
    assert OrgUnit.objects.filter(pk=unit.pk, code="lean-store").exists()
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(OrgUnit), object_id=unit.pk)
    assert entries.count() == 1  # auditlog's own receiver did not write a second one
    entry = entries.get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor_id == actor.pk
    assert entry.changes == json.loads(json.dumps(model_instance_diff(None, OrgUnit.objects.get(pk=unit.pk))))
    event = Event.objects.get(target_id=str(unit.pk), event_type="core.created")
    assert event.actor_id == actor.pk and event.new == {"code": "lean"}


def test_a_model_with_its_own_save_is_saved_by_it(users):
    """`insert_one` never skips a model's own `save()` logic: it falls back to it."""
    from django.db import models

    from salesservice.core.inserts import insert_one

    assert type(users["admin"]).save is not models.Model.save  # Django's user model hashes passwords in save()
    fresh = type(users["admin"])(username="lean-user")
    insert_one(fresh)
    assert fresh.pk and type(fresh).objects.filter(username="lean-user").exists()
