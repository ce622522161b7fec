"""The OpenAPI schema says what responses really hold (issue 12 §2: 0 response-schema violations).

drf-spectacular types a read-only field from the field alone, so a field that serialises `None` is
published as non-null when the `None` comes from elsewhere:

- `CharField(source="revoked_by.name", read_only=True, default=None)` — `None` whenever the hop is empty;
- `PrimaryKeyRelatedField(read_only=True)` over a nullable foreign key (`OrgUnit.parent` of the root);
- any read-only field whose `source` passes through a nullable relation of the serializer's model.

`AutoSchema` (the project's `DEFAULT_SCHEMA_CLASS`) marks such fields `nullable`, for every app at once,
and publishes the `maxLength` that `core/input_guards` enforces on request text without its own limit.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.fields import empty

from ..input_guards import TEXT_LIMIT


def _source_may_be_null(field) -> bool:
    """True when a hop of the field's `source` on the parent serializer's model is a nullable field."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source_attrs = getattr(field, "source_attrs", None) or []
    for attr in source_attrs:
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
    return False


def may_be_null(field) -> bool:
    if not field.read_only or isinstance(field, serializers.SerializerMethodField):
        return False
    if getattr(field, "allow_null", False):
        return True
    if field.default is not empty and field.default is None:
        return True
    return _source_may_be_null(field)


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.max_length is None
            and schema.get("type") == "string"
            and "maxLength" not in schema
        ):
            schema = {**schema, "maxLength": TEXT_LIMIT}
        if direction == "response" and may_be_null(field) and "$ref" not in schema:
            schema = {**schema, "nullable": True}
            if "enum" in schema and None not in schema["enum"]:
                schema["enum"] = [*schema["enum"], None]
        return schema
