"""The answer of a create or an action by a serializer plan and compiled field steps (issue 17 §2) is DRF's own
`Serializer(instance).data`, key for key and in the same order — for every output serializer of every app's API
over the demo records, and for the edge cases of DRF's attribute reading."""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

import salesservice
from salesservice.core.api.plans import represent
from salesservice.core.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def _output_serializers():
    found = []
    for module_info in pkgutil.walk_packages(salesservice.__path__, "salesservice."):
        if not module_info.name.endswith(".api.serializers"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, klass in inspect.getmembers(module, inspect.isclass):
            if (
                klass.__module__ == module.__name__
                and issubclass(klass, serializers.ModelSerializer)
                and getattr(getattr(klass, "Meta", None), "model", None) is not None
            ):
                found.append(klass)
    return found


def _same(serializer_class, instance, context):
    try:
        expected = serializer_class(instance, context=context).data
    except Exception as exc:  # noqa: BLE001 — the plan must fail the same way
        with pytest.raises(type(exc)):
            represent(serializer_class, instance, context)
        return False
    got = represent(serializer_class, instance, context)
    assert list(got.items()) == list(expected.items()), serializer_class.__name__
    return True


def test_every_output_serializer_answers_as_drf_does_over_the_demo_records(users):
    call_command("load_demo", "--force")
    request = APIRequestFactory().get("/api/v1/")
    request.user = User.objects.get(username="admin")
    context = {"request": request}
    compared = set()
    for serializer_class in _output_serializers():
        model = serializer_class.Meta.model
        for instance in model._default_manager.order_by("-pk")[:4]:
            for _ in range(2):  # the second time by the steps compiled the first time
                if _same(serializer_class, instance, context):
                    compared.add(serializer_class)
    assert len(compared) >= 40  # the demo has rows for most documents
    names = {klass.__name__ for klass in compared}
    assert {"ServiceRequestDetailSerializer", "ServiceRequestSerializer"} <= names


class _Thing:
    """Not a model: plain attributes, a method, a property that fails."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def label(self):
        return f"<{self.name}>"

    def needs_argument(self, value):  # pragma: no cover - never called: DRF hands the method itself on
        return value

    @property
    def broken(self):
        raise AttributeError("nope")


class _ThingSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    parent_name = serializers.CharField(source="parent.name", read_only=True)
    broken = serializers.CharField(read_only=True)
    with_default = serializers.CharField(source="missing", default="默认", read_only=True)
    nullable = serializers.CharField(source="missing", allow_null=True, read_only=True)
    when = serializers.DateTimeField()
    meta_key = serializers.CharField(source="meta.key", read_only=True)
    computed = serializers.SerializerMethodField()

    def get_computed(self, obj):
        return f"{obj.name}@{self.context.get('where', '-')}"


def test_attribute_reading_edge_cases_as_drf():
    when = timezone.make_aware(dt.datetime(2026, 12, 6, 9, 30))
    things = [
        _Thing(name="甲", parent=_Thing(name="父"), when=when, meta={"key": "值"}),
        _Thing(name="乙", parent=None, when=None, meta={}),  # None on the way, a mapping without the key
        {"name": "字典", "label": "键", "parent": {"name": "父"}, "when": when, "meta": {"key": "k"}},
    ]
    for thing in things:
        for _ in range(2):
            _same(_ThingSerializer, thing, {"where": "门店"})


def test_a_missing_required_attribute_fails_as_drf():
    class Strict(serializers.Serializer):
        name = serializers.CharField()
        absent = serializers.CharField()

    with pytest.raises(AttributeError):
        Strict(_Thing(name="x")).data  # noqa: B018
    with pytest.raises(AttributeError):
        represent(Strict, _Thing(name="x"))


def test_a_method_that_takes_arguments_is_handed_on_as_drf_does():
    class Odd(serializers.Serializer):
        needs_argument = serializers.CharField()

    thing = _Thing(name="x")
    assert represent(Odd, thing) == dict(Odd(thing).data)


def test_related_ids_and_a_custom_to_representation(demo):
    class UnitSerializer(serializers.ModelSerializer):
        class Meta:
            model = OrgUnit
            fields = ["id", "code", "parent", "kind"]

    class Upper(UnitSerializer):
        def to_representation(self, instance):
            answer = super().to_representation(instance)
            answer["code"] = answer["code"].upper()
            return answer

    root = OrgUnit.objects.filter(parent__isnull=True).first()
    store = OrgUnit.objects.filter(parent__isnull=False).first()
    for unit in (root, store):  # a null and a set foreign key
        _same(UnitSerializer, unit, {})
        _same(Upper, unit, {})
    assert represent(UnitSerializer, root)["parent"] is None
    assert represent(UnitSerializer, store)["parent"] == store.parent_id
