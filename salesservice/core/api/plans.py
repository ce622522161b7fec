"""Precomputed serializer plans for the write path (issue 17 §2).

`Serializer(instance).data` builds the serializer's fields anew for every instance: a `ModelSerializer`
introspects its model and deep-copies every declared field (~280 `deepcopy` calls for a service request's
detail) before it writes a single value. A create or an action answers with one record, so that rebuild is
most of what the answer costs. A *plan* is one serializer instance per class (and thread) whose fields were
built once; `represent(cls, instance, context)` runs its `to_representation` with the request's context.
`validated(cls, data, context)` does the same for an input serializer's validation.

`represent` also compiles, per serializer class and instance class, one *step* per readable field: a plain
attribute (`status`, `received_at`), a dotted source (`customer.name`) or a related id (`customer`) is read by
a getter made once instead of DRF's `Field.get_attribute` → `fields.get_attribute` → `PKOnlyObject` walk (about
half of an answer's cost); anything else — a method field, a nested serializer, a custom `get_attribute`, a
callable or missing attribute met at run time — goes through the field's own `get_attribute`, so the answer
and its errors are DRF's to the byte (`core/tests/test_plans.py` compares them).

Only serializers that build their fields the standard way get a plan: one that customises `__init__` or
`get_fields` (fields chosen per request or per instance) is built per call as before, as is one whose own
methods read `self.initial_data` or `self.instance` (a plan has neither).
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from rest_framework.fields import Field, SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField
from rest_framework.serializers import Serializer

_local = threading.local()
_eligible: dict[type, bool] = {}
_SKIP = object()


def _plannable(serializer_class: type) -> bool:
    found = _eligible.get(serializer_class)
    if found is None:
        found = True
        for klass in serializer_class.__mro__:
            if klass.__module__.startswith("rest_framework") or klass is object:
                continue
            own = vars(klass)
            if "__init__" in own or "get_fields" in own:
                found = False
                break
            for member in own.values():
                if callable(member):
                    try:
                        source = inspect.getsource(member)
                    except (OSError, TypeError):
                        source = ""
                    if "initial_data" in source or "self.instance" in source:
                        found = False
                        break
            if not found:
                break
        _eligible[serializer_class] = found
    return found


def _plan(serializer_class: type):
    plans = _local.__dict__.setdefault("plans", {})
    plan = plans.get(serializer_class)
    if plan is None:
        plan = plans[serializer_class] = serializer_class(context={})
        plan.fields  # noqa: B018 — build (and bind) the fields once, here
    return plan


def _generic(field):
    """The field's own read, as `Serializer.to_representation` does it: `_SKIP` for a `SkipField`, None for a
    related id that is None."""

    def read(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        if isinstance(attribute, PKOnlyObject) and attribute.pk is None:
            return None
        return attribute

    return read


def _attribute_reader(attrs, fallback):
    """`fields.get_attribute(instance, attrs)` for attributes that are plain values; a callable, a mapping or a
    missing attribute on the way hands the whole read to `fallback` (nothing was called yet)."""
    if len(attrs) == 1:
        (name,) = attrs

        simple: dict[type, bool] = {}

        def read(instance):
            try:
                value = getattr(instance, name)
            except ObjectDoesNotExist:
                return None
            except AttributeError:
                return fallback(instance)
            if not callable(value):
                return value
            # A method of the class (`get_status_display`): whether it takes no arguments is the same for every
            # instance, so DRF's signature inspection runs once.
            klass = type(instance)
            known = simple.get(klass)
            if known is None:
                try:
                    known = inspect.getattr_static(klass, name, None) is not None and is_simple_callable(value)
                except Exception:  # noqa: BLE001 — DRF's own read raises it, with its message
                    known = False
                simple[klass] = known
            if not known:
                return fallback(instance)
            try:
                return value()
            except (AttributeError, KeyError) as exc:  # as `fields.get_attribute`
                raise ValueError(
                    f'Exception raised in callable attribute "{name}"; original exception was: {exc}'
                ) from exc

        return read

    def read_path(instance):
        value = instance
        try:
            for name in attrs:
                value = getattr(value, name)
                if callable(value) or isinstance(value, Mapping):
                    return fallback(instance)
        except ObjectDoesNotExist:
            return None
        except AttributeError:
            return fallback(instance)
        return value

    return read_path


def _step(field, model):
    """(name, read, to_representation or None for the value as read) for one readable field."""
    fallback = _generic(field)
    field_class = type(field)
    attrs = field.source_attrs
    if (
        model is not None
        and isinstance(field, PrimaryKeyRelatedField)
        and field_class.get_attribute is RelatedField.get_attribute
        and field_class.to_representation is PrimaryKeyRelatedField.to_representation
        and field_class.use_pk_only_optimization is PrimaryKeyRelatedField.use_pk_only_optimization
        and field.pk_field is None
        and len(attrs) == 1
    ):
        try:
            attname = model._meta.get_field(attrs[0]).attname
        except FieldDoesNotExist:
            attname = None
        if attname is not None and attname != attrs[0]:  # the id column itself (`customer_id`), as DRF reads it
            return field.field_name, _attribute_reader([attname], fallback), None
    if field_class.get_attribute is Field.get_attribute and attrs and field.source != "*":
        return field.field_name, _attribute_reader(attrs, fallback), field.to_representation
    return field.field_name, fallback, field.to_representation


def _steps(serializer_class: type, plan, instance_class: type):
    cache = _local.__dict__.setdefault("steps", {})
    key = (serializer_class, instance_class)
    steps = cache.get(key)
    if steps is None:
        model = getattr(instance_class, "_meta", None) and instance_class
        if issubclass(instance_class, Mapping):
            steps = [(field.field_name, _generic(field), field.to_representation) for field in plan._readable_fields]
        else:
            steps = [_step(field, model) for field in plan._readable_fields]
        cache[key] = steps
    return steps


def represent(serializer_class: type, instance, context: dict | None = None) -> dict:
    """`serializer_class(instance, context=context).data`, without rebuilding the fields, each field read by its
    compiled step (a serializer with its own `to_representation` runs that, on its plan)."""
    if not _plannable(serializer_class):
        return serializer_class(instance, context=context or {}).data
    plan = _plan(serializer_class)
    plan._context = context or {}
    try:
        if serializer_class.to_representation is not Serializer.to_representation:
            return plan.to_representation(instance)
        answer = {}
        for name, read, to_representation in _steps(serializer_class, plan, type(instance)):
            value = read(instance)
            if value is _SKIP:
                continue
            if value is None or to_representation is None:
                answer[name] = value
            else:
                answer[name] = to_representation(value)
        return answer
    finally:
        plan._context = {}


def validated(serializer_class: type, data, context: dict | None = None) -> dict:
    """The validated data of `data` (raises `ValidationError` as `is_valid(raise_exception=True)` does)."""
    if not _plannable(serializer_class):
        serializer = serializer_class(data=data, context=context or {})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
    plan = _plan(serializer_class)
    plan._context = context or {}
    try:
        return plan.run_validation(data)
    finally:
        plan._context = {}


def no_related(instance, **relations):
    """Mark to-many relations of a just-created `instance` as empty (`name=Model`), so its answer neither reads
    them back nor compiles a query for them: each gets an already evaluated empty queryset."""
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    for name, model in relations.items():
        empty = model._default_manager.none()
        empty._result_cache = []
        empty._prefetch_done = True
        cache[name] = empty
    return instance
