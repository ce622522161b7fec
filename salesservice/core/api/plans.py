"""Precomputed serializer plans for the write path (issue 17 §2).

`Serializer(instance).data` builds the serializer's fields anew for every instance: a `ModelSerializer`
introspects its model and deep-copies every declared field (~280 `deepcopy` calls for a service request's
detail) before it writes a single value. A create or an action answers with one record, so that rebuild is
most of what the answer costs. A *plan* is one serializer instance per class (and thread) whose fields were
built once; `represent(cls, instance, context)` runs its `to_representation` with the request's context.
`validated(cls, data, context)` does the same for an input serializer's validation.

Only serializers that build their fields the standard way get a plan: one that customises `__init__` or
`get_fields` (fields chosen per request or per instance) is built per call as before, as is one whose own
methods read `self.initial_data` or `self.instance` (a plan has neither).
"""

from __future__ import annotations

import inspect
import threading

_local = threading.local()
_eligible: dict[type, bool] = {}


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


def represent(serializer_class: type, instance, context: dict | None = None) -> dict:
    """`serializer_class(instance, context=context).data`, without rebuilding the fields."""
    if not _plannable(serializer_class):
        return serializer_class(instance, context=context or {}).data
    plan = _plan(serializer_class)
    plan._context = context or {}
    try:
        return plan.to_representation(instance)
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
