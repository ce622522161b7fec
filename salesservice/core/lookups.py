"""A record by its id in the reader's scope, by a statement compiled once (issue 17 §2: "ORM compile of the
customer's scoped SELECT 18 %").

`Customer.objects.select_related("store").visible_to(user).get(pk=…)` — what a create reads for the id in
its body — costs Django a full compile on every request (joins, the scope's `IN` list, the select list):
about half a millisecond of CPU, more than the database spends answering it. The statement differs only
by the id between two requests of the same user, so `get_in_scope` compiles it once per user, model and
select-related shape, under the configuration stamp (`core.config_cache`: a membership or org unit
changed anywhere drops it with the rest), and afterwards only swaps the id and turns the row into model
instances the way Django's own `ModelIterable` does (converters, `from_db`, the select-related
populators).

Only plain querysets qualify (a scoped model's `objects`, optionally with `select_related`); anything else —
filters, annotations, ordering, a deferred field — falls back to `queryset.get(pk=…)`.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import QuerySet, get_related_populators

from . import config_cache

SENTINEL = -7_318_254_917_365  # an id no row has: marks the id's place among the compiled statement's parameters
EMPTY = "empty"


def _shape(queryset):
    """A hashable description of a plain queryset, or None when it is not plain."""
    query = queryset.query
    if (
        query.where
        or query.annotations
        or query.extra
        or query.order_by
        or query.distinct
        or query.deferred_loading != (frozenset(), True)
        or query.low_mark
        or query.high_mark is not None
        or queryset._known_related_objects
        or queryset._prefetch_related_lookups
        or queryset._iterable_class.__name__ != "ModelIterable"
    ):
        return None
    related = query.select_related
    if related is True:
        return None
    return (queryset.model._meta.label, _frozen(related or {}), queryset.db)


def _frozen(tree: dict):
    return tuple(sorted((name, _frozen(sub)) for name, sub in tree.items()))


def _compile(queryset):
    """(sql, params, index of the id, builder of the instances) — or EMPTY when the scope is empty."""
    try:
        compiler = queryset.filter(pk=SENTINEL).query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return EMPTY
    params = tuple(params)
    places = [i for i, value in enumerate(params) if value == SENTINEL]
    if len(places) != 1 or compiler.annotation_col_map:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    converters = list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items())
    db = queryset.db
    populators = get_related_populators(klass_info, select, db)

    def build(row, connection):
        if converters:  # as SQLCompiler.apply_converters, with this thread's connection
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
        obj = model.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        return obj

    return sql, params, places[0], build


def get_in_scope(queryset, pk, user, scoped=None):
    """`queryset.visible_to(user).get(pk=pk)` (`scoped`, when the caller built it already) — same answer, same
    exceptions (`DoesNotExist`, `ValueError` / `TypeError` for an id of the wrong type) — by a statement
    compiled once per user and queryset shape."""
    if scoped is None:
        scoped = queryset.visible_to(user)
    shape = _shape(queryset)
    if shape is None or user.pk is None:
        return QuerySet.get(scoped, pk=pk)  # Django's own (not the scoped queryset's shortcut back here)
    plan = config_cache.cached(("lookup", shape, user.pk, user.is_superuser), lambda: _compile(scoped))
    if plan is None:
        return QuerySet.get(scoped, pk=pk)  # Django's own (not the scoped queryset's shortcut back here)
    model = queryset.model
    if plan == EMPTY:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    sql, params, place, build = plan
    pk_field = model._meta.pk
    connection = connections[queryset.db]
    value = pk_field.get_db_prep_value(pk_field.get_prep_value(pk), connection, prepared=True)
    params = list(params)
    params[place] = value
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchmany(2)
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if len(rows) > 1:  # pragma: no cover - the id is the primary key
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")
    return build(rows[0], connection)
