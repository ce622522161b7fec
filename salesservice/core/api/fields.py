"""Serializer fields shared by every app's API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField published as an inline OpenAPI `enum` (issue 12 §3: generated clients keep the values).

    Inline rather than an enum component: several apps have fields named `kind`/`status` with different
    choice sets, and shared components would collide by name (spectacular --fail-on-warn). The enum lists
    `""` when the field allows blank and `null` when it allows null, so a response never holds a value
    outside its enum; the description gives each value's Chinese label.
    """
    values: list = [str(value) for value, _label in choices]
    # A read-only field shows what the row holds, and a model choice with blank=True holds "" until set.
    if (kwargs.get("allow_blank") or kwargs.get("read_only")) and "" not in values:
        values.append("")
    schema: dict = {
        "type": "string",
        "enum": values,
        "description": "; ".join(f"`{value}` {label}" for value, label in choices),
    }
    if kwargs.get("allow_null"):
        schema["nullable"] = True
        schema["enum"] = [*values, None]
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


def install_scoped_relations() -> None:
    """Every id in a request body is looked up within the actor's scope (issue 12 §8, INF-1).

    A `PrimaryKeyRelatedField` over a scoped model (one whose queryset has `visible_to`: customers,
    org units, users, providers, service requests…) resolves ids only among the rows the acting user
    may see — from the serializer's request, else the request context the middleware and token
    authentication fill. An id outside the scope answers the same "does not exist" as an unknown id,
    so the answer leaks nothing (no name). Installed once from `CoreConfig.ready`, so a new app's
    serializers are covered without remembering it; a field that must reach beyond the actor's scope
    says so with `unscoped=True` in its `style`.
    """
    from rest_framework import relations

    from ..context import current
    from ..models.base import ScopedQuerySet

    original = relations.RelatedField.get_queryset
    if getattr(original, "_scoped", False):
        return

    def get_queryset(self):
        queryset = original(self)
        if queryset is None or not hasattr(queryset, "visible_to") or self.style.get("unscoped"):
            return queryset
        user = getattr(self.context.get("request"), "user", None) or current().user
        if user is None or not getattr(user, "is_authenticated", False):
            return queryset
        if type(queryset).visible_to is ScopedQuerySet.visible_to:  # the shared rule: its filter built on first use
            scoped = queryset.visible_to(user, lazy=True)
        else:  # a model's own rule
            scoped = queryset.visible_to(user)
        # Its `get(pk=…)` (DRF's lookup of the id) by a statement compiled once per user (core.lookups).
        scoped._lookup_in_scope = (queryset, user)
        return scoped

    get_queryset._scoped = True
    relations.RelatedField.get_queryset = get_queryset
