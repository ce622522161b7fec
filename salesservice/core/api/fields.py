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
    if kwargs.get("allow_blank") and "" not in values:
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
