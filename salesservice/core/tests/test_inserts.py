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


def test_insert_values_as_django_prepares_them_for_every_model(users, demo):
    """The lean insert takes a str, int or bool value as it is only where Django's preparation of that field would
    hand it on unchanged (issue 17 §2): for every concrete model's fields, on a row of the demo and on values of
    another type (an int for a char field, a str for an integer field, a bool for an integer field)."""
    from django.apps import apps
    from django.db import connection

    from salesservice.core.inserts import _params, _plan

    compared = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        steps, _sql, _pk = _plan(model, connection)
        instance = model._default_manager.first()
        if instance is None:
            continue
        passing = [(i, field) for i, (field, _attname, passes) in enumerate(steps) if passes is not None]
        got = _params(steps, instance, connection)
        for i, field in passing:
            expected = field.get_db_prep_save(field.pre_save(instance, True), connection=connection)
            assert got[i] == expected and type(got[i]) is type(expected), (model, field.name)
            compared += 1
    assert compared >= 50  # the demo org: units, users, roles, memberships, policy values …


def test_insert_values_of_another_type_are_prepared_as_django_does(demo):
    from django.db import connection

    from salesservice.core.inserts import _params, _plan

    steps, _sql, _pk = _plan(OrgUnit, connection)
    unit = OrgUnit(code=123, name="门店", kind="store", parent_id="7")
    by_name = {field.name: i for i, (field, _a, _p) in enumerate(steps)}
    values = _params(steps, unit, connection)
    assert values[by_name["code"]] == "123"  # CharField's str()
    assert values[by_name["parent"]] == 7  # the key's int()
    kinds = {field.name: passes for field, _a, passes in steps}
    assert kinds["code"] is str and kinds["parent"] is int


def _created_rows(unit, actor, demo):
    with context.acting(actor):
        insert_created(unit, build_event(event_type="core.created", target=unit, actor=actor, new={"code": unit.code}))
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(OrgUnit), object_id=unit.pk)
    event = Event.objects.get(target_id=str(unit.pk), event_type="core.created")
    return entry, event


def _comparable(entry, event, unit):
    stamps = ("created_at", "updated_at")
    changes = {name: pair for name, pair in entry.changes.items() if name not in ("id", "code", "name", *stamps)}
    return (
        [entry.changes[name][1] != "None" for name in stamps],
        entry.action,
        entry.actor_id,
        entry.object_pk == str(unit.pk) and entry.object_id == unit.pk,
        entry.changes["id"] == ["None", str(unit.pk)],
        entry.object_repr == str(unit),
        changes,
        entry.additional_data,
        entry.remote_addr,
        entry.serialized_data,
        event.actor_id,
        event.target_type_id,
        event.old,
        event.via,
    )


def test_the_three_rows_in_one_statement_are_the_three_statements_rows(users, demo, monkeypatch):
    """On PostgreSQL the document, its audit entry and its event go in one statement (issue 17 §2); the rows are
    those of the three statements, key for key. On SQLite the three statements run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesservice.core import inserts

    actor = users["admin"]
    one = OrgUnit(code="chain-one", name="一条语句门店", kind="store", parent=demo["east"], path="")
    with CaptureQueriesContext(connection) as queries:
        entry_one, event_one = _created_rows(one, actor, demo)
    inserts_run = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"].upper()]
    if connection.vendor == "postgresql":
        assert len(inserts_run) == 1 and inserts_run[0].startswith("WITH d AS")
    else:
        assert len(inserts_run) == 3
    monkeypatch.setattr(inserts, "_insert_chained", lambda *args: False)
    three = OrgUnit(code="chain-three", name="三条语句门店", kind="store", parent=demo["east"], path="")
    entry_three, event_three = _created_rows(three, actor, demo)
    assert _comparable(entry_one, event_one, one) == _comparable(entry_three, event_three, three)
    assert entry_one.changes["code"] == ["None", "chain-one"] and event_one.new == {"code": "chain-one"}
    assert not one._state.adding and one.pk and event_one.pk and entry_one.pk


@pytest.mark.postgres
def test_a_document_whose_text_holds_the_stand_in_key_takes_three_statements(users, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from salesservice.core.inserts import _STAND_IN

    actor = users["admin"]
    unit = OrgUnit(code=f"s{_STAND_IN}", name="替身门店", kind="store", parent=demo["east"], path="")
    with CaptureQueriesContext(connection) as queries:
        entry, event = _created_rows(unit, actor, demo)
    assert len([q for q in queries.captured_queries if "INSERT" in q["sql"].upper()]) == 3
    assert entry.changes["code"] == ["None", f"s{_STAND_IN}"] and entry.changes["id"] == ["None", str(unit.pk)]
    assert event.target_id == str(unit.pk)


@pytest.mark.postgres
def test_the_chained_statement_is_converted_once_per_process(users, demo, monkeypatch):
    """Issue 17 §2: psycopg caches a statement's placeholder conversion only up to a number of parameters; the
    chained statement of every tracked model with an event stays within the bound `CoreConfig.ready` sets, and a
    second create reuses the conversion."""
    from auditlog.registry import auditlog
    from django.db import connection
    from psycopg import _queries

    from salesservice.core.inserts import CHAINED_PARAMS_CACHED, _chain_plan

    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= CHAINED_PARAMS_CACHED
    for model in auditlog.get_models():
        if model._meta.parents or model._meta.abstract:
            continue
        sql = _chain_plan(model, LogEntry, Event, connection, "id")[0]
        assert len(sql) <= _queries.MAX_CACHED_STATEMENT_LENGTH, model
        assert sql.count("%s") <= CHAINED_PARAMS_CACHED, model
    uncached = []
    convert = _queries._query2pg_nocache
    monkeypatch.setattr(
        _queries, "_query2pg_nocache", lambda query, *args: uncached.append(query) or convert(query, *args)
    )
    actor = users["admin"]
    for code in ("conv-1", "conv-2"):
        _created_rows(OrgUnit(code=code, name=code, kind="store", parent=demo["east"], path=""), actor, demo)
    assert not [query for query in uncached if query.startswith(b"WITH d AS")]


def _numbered_unit(demo, name_suffix=""):
    from salesservice.core.inserts import PENDING_NUMBER

    return OrgUnit(code=PENDING_NUMBER, name=f"待编号门店{name_suffix}", kind="store", parent=demo["east"], path="")


def test_the_number_is_taken_after_the_rows_are_built_and_put_everywhere_it_stands(users, demo, monkeypatch):
    """Issue 17 §2, DESIGN numbering: `insert_created(number=…)` takes the number at the last moment, so the
    counter's row lock (held to the commit) does not cover building the rows; the document, its audit entry and its
    event carry the number taken, never the stand-in. On SQLite the number is taken before the three statements."""
    from django.db import connection, transaction

    from salesservice.core import audit, inserts
    from salesservice.core.numbering import next_number

    order = []
    built = audit.log_entry
    monkeypatch.setattr(audit, "log_entry", lambda *a, **k: order.append("entry built") or built(*a, **k))

    def take():
        order.append("number taken")
        return next_number("test.lean", series={"name": "测试", "prefix": "LN", "reset": "never"})

    actor = users["admin"]
    unit = _numbered_unit(demo)
    with context.acting(actor), transaction.atomic():
        event = build_event(event_type="core.created", target=unit, actor=actor, new={"code": unit.code})
        inserts.insert_created(unit, event, number=take, number_field="code")
    assert unit.code == "LN-0001"
    if connection.vendor == "postgresql":
        assert order == ["entry built", "number taken"]
    else:
        assert order == ["number taken", "entry built"]
    entry, stored_event = (
        LogEntry.objects.get(content_type=ContentType.objects.get_for_model(OrgUnit), object_id=unit.pk),
        Event.objects.get(pk=event.pk),
    )
    assert OrgUnit.objects.get(pk=unit.pk).code == "LN-0001"
    assert entry.changes["code"] == ["None", "LN-0001"] and stored_event.new == {"code": "LN-0001"}
    assert inserts.PENDING_NUMBER not in json.dumps([entry.changes, entry.object_repr, stored_event.new])
    assert event.new == {"code": "LN-0001"}


def test_the_stand_in_typed_into_another_field_is_kept_as_typed(users, demo):
    """The stand-in replaced only where the number goes: typed into the name too, the name keeps it (the rows are
    then built after the number is taken) and the number still lands in the code."""
    from django.db import transaction

    from salesservice.core.inserts import PENDING_NUMBER
    from salesservice.core.numbering import next_number

    actor = users["admin"]
    unit = _numbered_unit(demo, name_suffix=PENDING_NUMBER)
    with context.acting(actor), transaction.atomic():
        insert_created(
            unit,
            build_event(event_type="core.created", target=unit, actor=actor),
            number=lambda: next_number("test.lean", series={"name": "测试", "prefix": "LN", "reset": "never"}),
            number_field="code",
        )
    stored = OrgUnit.objects.get(pk=unit.pk)
    assert stored.code.startswith("LN-") and PENDING_NUMBER not in stored.code
    assert stored.name == f"待编号门店{PENDING_NUMBER}"
