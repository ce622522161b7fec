"""Issue 17 §3: the lean audit diff and the entries `bulk_audit` writes without building a `LogEntry` per row.

`core.audit.diff` (and so `bulk_audit` and `core.inserts.insert_created`) computes auditlog's diff from a plan built
once per model. It must give exactly what `auditlog.diff.model_instance_diff` gives — the same keys in the same
order, the same strings, the same masking — for every model registered with auditlog, on a create and on an
update, in auditlog's text mode and in its JSON mode; and `bulk_audit` must write the rows the `LogEntry`-per-row
path wrote (`log_entry` + auditlog's diff + `copy_create`), column for column.
"""

import copy
import datetime as dt
import decimal
import uuid
from zoneinfo import ZoneInfo

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from salesservice.core import audit, context
from salesservice.core.bulk import copy_create

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REGISTERED = sorted(auditlog._registry, key=lambda model: model._meta.label)


def _sample(field: models.Field, n: int):
    """A value of the field's type (`n` varies it): strings that look like personal data for masked fields."""
    if field.choices:
        choices = [value for value, _label in field.flatchoices]
        return choices[n % len(choices)]
    if isinstance(field, models.ForeignKey):
        return 1000 + n if isinstance(field.target_field, (models.IntegerField, models.AutoField)) else f"k{n}"
    if isinstance(field, models.BooleanField):
        return n % 2 == 0
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("12.5").quantize(decimal.Decimal(1).scaleb(-field.decimal_places)) + n
    if isinstance(field, models.FloatField):
        return 1.5 + n
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return 7 + n
    if isinstance(field, models.DateTimeField):  # Shanghai time, with microseconds on one of them
        return dt.datetime(2026, 3, 1, 9, 30, 15, 123456 * n, tzinfo=SHANGHAI)
    if isinstance(field, models.DateField):
        return dt.date(2026, 3, 1 + n)
    if isinstance(field, models.TimeField):
        return dt.time(8, 30 + n)
    if isinstance(field, models.DurationField):
        return dt.timedelta(hours=2, minutes=n)
    if isinstance(field, models.UUIDField):
        return uuid.UUID(int=n + 1)
    if isinstance(field, models.GenericIPAddressField):
        return f"10.0.0.{n + 1}"
    if isinstance(field, models.JSONField):
        return {"名": ["值", n], "a": None, "z": {"deep": True}}
    if isinstance(field, models.BinaryField):
        return b"\x00\x01"
    if isinstance(field, models.FileField):
        return f"docs/附件-{n}.pdf"
    if isinstance(field, models.EmailField) or "email" in field.name:
        return f"zhang.san{n}@example.com"
    if "phone" in field.name:
        return f"1381234000{n}"
    if "id_number" in field.name:
        return f"31010419800101123{n}"
    if isinstance(field, (models.CharField, models.TextField)):
        return f"上海市徐汇区漕溪北路 {88 + n} 号"[: field.max_length or None]
    raise AssertionError(f"no sample for {field!r}")


def _instance(model, n: int = 0, *, sparse: bool = False):
    """An unsaved instance with a key: every concrete field set (`sparse`: only the key, the rest defaults)."""
    instance = model()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            setattr(instance, field.attname, 4200 + n if isinstance(field, models.AutoField) else _sample(field, n))
        elif not sparse:
            setattr(instance, field.attname, _sample(field, n))
    return instance


def _both(old, new, fields=None):
    lean = audit.diff(old, new, fields)
    auditlogs = model_instance_diff(old, new, fields_to_check=fields, use_json_for_changes=audit._as_json())
    return lean, auditlogs


def _assert_same(lean, auditlogs):
    assert lean == auditlogs
    if lean is not None:
        assert list(lean) == list(auditlogs)  # the same order of keys (the text stored on SQLite)
        for key, pair in lean.items():
            assert [type(value) for value in pair] == [type(value) for value in auditlogs[key]], key


def test_every_model_auditlog_tracks_is_covered():
    """The comparisons below run over auditlog's whole registry, the sweeps' fact models among them."""
    from salesservice.complaints.models import ComplaintBreach, ComplaintEscalation
    from salesservice.core.models import User
    from salesservice.customers.models import Customer
    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    assert len(REGISTERED) > 50
    for model in (SlaBreach, Escalation, ServiceRequest, ComplaintBreach, ComplaintEscalation, Customer, User):
        assert model in REGISTERED


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_create_diffs_as_auditlog_does(model, as_json):
    """Issue 17 §3: `diff(None, instance)` is `model_instance_diff(None, instance)` for every registered model —
    every field set (FKs, datetimes, decimals, JSON, choices, masked personal data), and only the key set."""
    with override_settings(AUDITLOG_STORE_JSON_CHANGES=as_json):
        for instance in (_instance(model, 0), _instance(model, 1), _instance(model, sparse=True)):
            _assert_same(*_both(None, instance))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_an_update_diffs_as_auditlog_does(model):
    """Issue 17 §3: `diff(old, new, fields)` is `model_instance_diff(old, new, fields)`: all fields, a few of them
    (by name and by a foreign key's attname), and nothing changed."""
    old = _instance(model, 0)
    new = copy.copy(old)
    new._state = copy.copy(old._state)
    for field in model._meta.concrete_fields:
        if not field.primary_key:
            setattr(new, field.attname, _sample(field, 1))
    names = [field.name for field in model._meta.concrete_fields]
    attnames = [field.attname for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]
    for fields in (None, names[:3], names[-2:], attnames[:2], ["no_such_field"]):
        _assert_same(*_both(old, new, fields))
    _assert_same(*_both(old, copy.copy(old), None))
    assert audit.diff(old, copy.copy(old)) is None


def test_the_sweep_facts_give_the_strings_auditlog_stores():
    """Issue 17 §3: a literal check, so that the comparison above cannot pass by both sides being wrong alike."""
    from salesservice.service.models import Escalation, SlaBreach

    due = dt.datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)
    breach = SlaBreach(
        pk=5, request_id=7, clock="first_contact", level=0, due_at=due, breached_at=due, overdue_seconds=0
    )
    assert audit.diff(None, breach) == {
        "id": ("None", "5"),
        "request": ("None", "7"),
        "clock": ("None", "first_contact"),
        "level": ("None", "0"),
        "due_at": ("None", "2026-03-01 02:00:00"),
        "breached_at": ("None", "2026-03-01 02:00:00"),
        "overdue_seconds": ("None", "0"),
    }
    escalation = Escalation(pk=6, request_id=7, from_level=0, to_level=1, due_at=due, at=due, next_due_at=None)
    assert audit.diff(None, escalation)["next_due_at"] == ("None", "None")  # a null datetime is a "change"
    assert audit.diff(None, escalation)["reason"] == ("None", "")


def test_masked_fields_are_masked_as_auditlog_masks_them():
    from salesservice.customers.models import Customer

    customer = _instance(Customer)
    customer.phone = "13812340000"
    lean, auditlogs = _both(None, customer)
    _assert_same(lean, auditlogs)
    assert lean["phone"] == ("None", "138****0000")
    changed = copy.copy(customer)
    changed.phone = "13987650000"
    lean, auditlogs = _both(customer, changed, ["phone"])
    _assert_same(lean, auditlogs)
    assert lean == {"phone": ("138****0000", "139****0000")}


def test_registry_options_and_settings_are_followed(monkeypatch):
    """include_fields / exclude_fields / mask_fields / mask_callable of the registry entry and auditlog's settings
    as they are when diffing (the plan is rebuilt when they change)."""
    from salesservice.service.models import Escalation

    escalation = _instance(Escalation)
    entry = auditlog._registry[Escalation]
    variants = [
        {"include_fields": ["reason", "at", "request"]},
        {"include_fields": ["reason", "at", "request"], "exclude_fields": ["at"]},
        {"exclude_fields": ["reason"], "mask_fields": ["reason", "request"]},
        {"mask_fields": ["reason"], "mask_callable": "auditlog.diff.mask_str"},
    ]
    for variant in variants:
        monkeypatch.setitem(auditlog._registry, Escalation, {**entry, **variant})
        _assert_same(*_both(None, escalation))
        changed = copy.copy(escalation)
        changed.reason, changed.request_id = "另一个原因", 99
        _assert_same(*_both(escalation, changed, ["reason", "request_id", "at"]))
    monkeypatch.setitem(auditlog._registry, Escalation, entry)
    for override in ({"AUDITLOG_USE_FK_STRING_REPRESENTATION": True}, {"USE_TZ": False}):
        with override_settings(**override):
            _assert_same(*_both(None, escalation))


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning")
def test_values_auditlog_leaves_to_django_or_to_its_fallback():
    """Lazy strings, a datetime given as text or as a date, naive datetimes, JSON Python can't dump, a deferred
    field's default: the plan either takes auditlog's branch or hands the field to auditlog."""
    from salesservice.service.models import Escalation, ServiceRequest

    escalation = _instance(Escalation)
    escalation.reason = gettext_lazy("超过升级时限未解决")
    escalation.at = "2026-03-01 10:00:00"
    escalation.due_at = dt.date(2026, 3, 1)
    with override_settings(USE_TZ=True):
        _assert_same(*_both(None, escalation))
    escalation.next_due_at = dt.datetime(2026, 3, 1, 10, 0)  # naive
    _assert_same(*_both(None, escalation))
    request = _instance(ServiceRequest)
    json_fields = [f for f in ServiceRequest._meta.concrete_fields if isinstance(f, models.JSONField)]
    for field in json_fields:
        setattr(request, field.attname, {"x": object()})
    _assert_same(*_both(None, request))


def test_an_unregistered_model_still_goes_to_auditlog():
    from salesservice.core.models import Event

    assert not auditlog.contains(Event)
    with pytest.raises(KeyError):
        audit.diff(None, Event(pk=1))  # what model_instance_diff answers for it


def _columns(entries):
    fields = [f.attname for f in LogEntry._meta.concrete_fields if f.name not in ("id", "timestamp")]
    return [tuple(getattr(entry, name) for name in fields) for entry in entries]


def _before(created, updated):
    """The path bulk_audit took before issue 17 §3: a `LogEntry` per row by `log_entry`, auditlog's diff, COPY."""
    entries = []
    for instance in created:
        if not auditlog.contains(type(instance)):
            continue
        changes = model_instance_diff(None, instance, use_json_for_changes=audit._as_json())
        entries.append(audit.log_entry(instance, LogEntry.Action.CREATE, changes))
    for old, new, fields in updated:
        assert auditlog.contains(type(new))
        changes = model_instance_diff(old, new, fields_to_check=fields, use_json_for_changes=audit._as_json())
        if changes:
            entries.append(audit.log_entry(new, LogEntry.Action.UPDATE, changes))
    copy_create(entries)
    return entries


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("who", ["job", "user"])
def test_bulk_audit_writes_the_rows_the_log_entry_path_wrote(users, as_json, who):
    """Issue 17 §3: what `bulk_audit` writes, column for column, is what `log_entry` rows copied in wrote — actor
    and e-mail, address, request id, the channel in `additional_data`, object key and repr, the diff — and the
    timestamps are each entry's `now()`; models auditlog doesn't track get nothing."""
    from salesservice.core.models import Event
    from salesservice.customers.models import Customer
    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    created = [_instance(SlaBreach, 0), _instance(Escalation, 1), _instance(Customer, 0), Event(pk=1)]
    old = _instance(ServiceRequest, 0)
    new = copy.copy(old)
    new.escalation_level, new.contact_phone = 2, "13987650000"
    unchanged = copy.copy(old)
    updated = [(old, new, {"escalation_level", "contact_phone"}), (old, unchanged, {"escalation_level"})]
    ctx = context.RequestContext(via="job" if who == "job" else "web", remote_addr="10.1.2.3")
    token = context.activate(ctx)
    try:
        with (
            override_settings(AUDITLOG_STORE_JSON_CHANGES=as_json),
            context.acting(users["admin"] if who == "user" else None),
        ):
            start = timezone.now()
            expected = _columns(
                LogEntry.objects.filter(pk__in=[e.pk for e in _before(created, updated)]).order_by("pk")
            )
            first = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
            assert audit.bulk_audit(created=created, updated=updated) == 4
            written = list(LogEntry.objects.filter(pk__gt=first).order_by("pk"))
    finally:
        context.reset(token)
    assert _columns(written) == expected
    assert len(expected) == 4
    assert all(start <= entry.timestamp <= timezone.now() for entry in written)
    assert written[0].additional_data == {"via": ctx.via} and written[0].cid == ctx.request_id
    assert written[0].actor_id == (users["admin"].pk if who == "user" else None)
    assert written[-1].action == LogEntry.Action.UPDATE and set(written[-1].changes) == {
        "escalation_level",
        "contact_phone",
    }


def test_bulk_audit_of_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert audit.bulk_audit() == 0


def test_a_batch_writes_the_events_build_event_builds(users):
    """Issue 17 §3: `BatchWriter.event` keeps column values instead of an `Event`; the rows are `build_event`'s."""
    from salesservice.core.clocks import BatchWriter
    from salesservice.core.events import build_event
    from salesservice.core.models import Event

    target = users["xuhui_cs"]
    at = timezone.now().replace(microsecond=654321)
    calls = [
        {
            "event_type": "test.lean",
            "target": target,
            "new": {"clock": "首次联系", "level": 1, "due_at": at.isoformat()},
        },
        {"event_type": "test.lean", "target": target, "old": {"a": [1, None]}, "new": None, "message": "说明" * 200},
        {"event_type": "test.lean", "target": target, "message": gettext_lazy("超过升级时限未解决"), "at": at},
    ]
    ctx = context.RequestContext(via="job", remote_addr="10.9.8.7")
    token = context.activate(ctx)
    try:
        for acting in (None, users["admin"]):
            with context.acting(acting):
                writer = BatchWriter(timezone.now())
                for call in calls:
                    writer.event(**call)
                first = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                start = timezone.now()
                writer.write()
                written = list(Event.objects.filter(pk__gt=first).order_by("pk"))
                expected = [build_event(actor=None, **call) for call in calls]
            names = [f.attname for f in Event._meta.concrete_fields if f.name not in ("id", "created_at")]
            assert [[getattr(e, n) for n in names] for e in written] == [
                [getattr(e, n) for n in names] for e in expected
            ]
            assert written[2].created_at == at
            assert all(start - dt.timedelta(seconds=5) <= e.created_at <= timezone.now() for e in written[:2])
            assert written[0].actor_id == (acting.pk if acting else None)
    finally:
        context.reset(token)


def test_json_goes_in_as_django_would_write_it(users):
    """Issue 17 §3: `COPY` gets the JSON text of a dict or list directly (`bulk._json_dumps`); what the database holds
    is what `save()` writes — escapes, non-ASCII, nesting — and None stays SQL NULL."""
    from django.db import connection

    from salesservice.core.bulk import copy_insert

    target = users["xuhui_cs"]
    values = [
        {"名": '值\t换行\n引号"反斜杠\\', "n": [1, 2.5, None, True], "深": {"x": {"y": []}}},
        ["列表", {"a": "\u2028\u00e9"}],
        None,
        {},
    ]
    names = (
        "content_type",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes_text",
        "changes",
        "serialized_data",
    )
    content_type = audit._EntryRows(LogEntry).plan(type(target))[1]
    first = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    copy_insert(
        LogEntry, (*names, "timestamp"), [(content_type, "1", 1, "x", 1, "", v, v, timezone.now()) for v in values]
    )
    copied = list(LogEntry.objects.filter(pk__gt=first).order_by("pk"))
    saved = []
    for value in values:
        entry = LogEntry(content_type_id=content_type, object_pk="1", object_id=1, object_repr="x", action=1)
        entry.changes = entry.serialized_data = value
        entry.save()
        saved.append(entry)
    assert [(e.changes, e.serialized_data) for e in copied] == [(v, v) for v in values]
    with connection.cursor() as cursor:

        def texts(entries):
            cursor.execute(
                "SELECT changes::text, serialized_data::text, changes IS NULL FROM auditlog_logentry"
                " WHERE id = ANY(%s) ORDER BY id",
                [[e.pk for e in entries]],
            )
            return cursor.fetchall()

        if connection.vendor == "postgresql":
            assert texts(copied) == texts(saved)


def test_the_sweep_pauses_the_cyclic_collector_and_restores_it():
    """Issue 17 §3: `cyclic_gc_paused` leaves the collector as it found it, also when the block raises."""
    import gc

    from salesservice.core.clocks import cyclic_gc_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
