"""Sane input at every boundary (issue 12 §1, §2, §6), installed once from `CoreConfig.ready`.

Rather than trust every form, filter and serializer to remember a validator, `install()` makes the field
classes themselves refuse what no user means and what would otherwise surface as a 500 deep in a service
or the database driver — so apps built later are covered too:

- **Dates** between 1900-01-01 and 2100-12-31, and **moments** (date-times) from 1970 on. Without it,
  `9999-12-31` as the end of a period overflows when the day after is computed, a consent "given in year
  680" is stored, and a moment before 1901 comes back with Shanghai's local-mean-time offset `+08:05:43`.
- **Numbers** whose magnitude fits a 64-bit integer: `?complaint=-9.4e251` or an id of 30 digits
  makes the database driver raise `OverflowError`, which nothing above it expects. Form `IntegerField`,
  `DecimalField`, `FloatField` and model choices (the id of a referenced row), and DRF's `IntegerField`
  and `PrimaryKeyRelatedField`, answer a field error instead.

- **Text** of bounded length: a form or API text field without its own `max_length` takes at most
  `TEXT_LIMIT` characters (a 1 MB "description" was accepted before), and the OpenAPI schema says so.

Query parameters parsed by hand go through `sane_date()` and `parse_id()`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
EARLIEST_MOMENT = dt.date(1970, 1, 1)
MESSAGE = _("日期超出合理范围（1900-01-01 至 2100-12-31）")
MOMENT_MESSAGE = _("时间超出合理范围（1970-01-01 至 2100-12-31）")
NUMBER_LIMIT = 2**63
TEXT_LIMIT = 10_000  # characters: several pages of a complaint or a process record; no field needs more
TEXT_MESSAGE = _("内容过长（最多 %(limit)s 字）")
NUMBER_MESSAGE = _("数值超出允许范围")


def in_range(value) -> bool:
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        return EARLIEST_MOMENT <= value.date() <= LATEST
    return EARLIEST <= value <= LATEST


def sane_date(value: dt.date | None) -> dt.date | None:
    """A parsed date, or None when it lies outside the sane range (callers treat it as invalid input)."""
    return value if in_range(value) else None


def number_fits(value) -> bool:
    """False for a number (or numeric text) whose magnitude does not fit a 64-bit integer, or NaN/∞."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, (int, float, Decimal)):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            return True  # not numeric text: the field's own parsing refuses it
    else:
        return True
    try:
        return abs(number) < NUMBER_LIMIT
    except (InvalidOperation, TypeError):
        return False  # NaN


def parse_id(text) -> int | None:
    """The id in a hand-read query parameter: ASCII digits that fit a 64-bit integer, else None.

    (`str.isdigit` alone lets through "²" — which `int()` refuses — and 30-digit ids the driver cannot bind.)
    """
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value < NUMBER_LIMIT else None


def _date_message(value):
    return MOMENT_MESSAGE if isinstance(value, dt.datetime) else MESSAGE


def _wrap(field_class, method_name, check):
    """Replace `field_class.method_name` with one that calls `check(self, value, original)` (idempotent)."""
    original = getattr(field_class, method_name)
    if getattr(original, "_input_guard", False):
        return

    def guarded(self, value, *args, **kwargs):
        return check(self, value, lambda: original(self, value, *args, **kwargs))

    guarded._input_guard = True
    setattr(field_class, method_name, guarded)


def install() -> None:
    from django import forms
    from django.core.exceptions import ValidationError
    from rest_framework import fields as drf_fields
    from rest_framework import relations

    # `clean`, not `to_python`: subclasses (django-filter's ISO date-time field, ours) override to_python.
    def form_date(self, value, call):
        result = call()
        if not in_range(result):
            raise ValidationError(_date_message(result), code="out_of_range")
        return result

    def form_number(self, value, call):
        if not number_fits(value):
            raise ValidationError(NUMBER_MESSAGE, code="out_of_range")
        result = call()
        if not number_fits(result):
            raise ValidationError(NUMBER_MESSAGE, code="out_of_range")
        return result

    def form_choice(self, value, call):
        values = value if isinstance(value, (list, tuple)) else [value]
        if not all(number_fits(item) for item in values):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return call()

    def form_text(self, value, call):
        result = call()
        if self.max_length is None and isinstance(result, str) and len(result) > TEXT_LIMIT:
            raise ValidationError(TEXT_MESSAGE, code="max_length", params={"limit": TEXT_LIMIT})
        return result

    def drf_text(self, value, call):
        if self.max_length is None and isinstance(value, str) and len(value) > TEXT_LIMIT:
            raise drf_fields.ValidationError(str(TEXT_MESSAGE) % {"limit": TEXT_LIMIT}, code="max_length")
        return call()

    def drf_date(self, value, call):
        result = call()
        if not in_range(result):
            raise drf_fields.ValidationError(str(_date_message(result)), code="out_of_range")
        return result

    def drf_number(self, value, call):
        if not number_fits(value):
            raise drf_fields.ValidationError(str(NUMBER_MESSAGE), code="out_of_range")
        result = call()
        if not number_fits(result):
            raise drf_fields.ValidationError(str(NUMBER_MESSAGE), code="out_of_range")
        return result

    def drf_related(self, value, call):
        if not number_fits(value):
            self.fail("does_not_exist", pk_value=value)
        return call()

    for field_class in (forms.DateField, forms.DateTimeField):
        _wrap(field_class, "clean", form_date)
    for field_class in (forms.IntegerField, forms.DecimalField, forms.FloatField):
        _wrap(field_class, "clean", form_number)
    for field_class in (forms.ModelChoiceField, forms.ModelMultipleChoiceField):
        _wrap(field_class, "clean", form_choice)
    _wrap(forms.CharField, "clean", form_text)
    _wrap(drf_fields.CharField, "to_internal_value", drf_text)
    for field_class in (drf_fields.DateField, drf_fields.DateTimeField):
        _wrap(field_class, "to_internal_value", drf_date)
    for field_class in (drf_fields.IntegerField, drf_fields.DecimalField, drf_fields.FloatField):
        _wrap(field_class, "to_internal_value", drf_number)
    _wrap(relations.PrimaryKeyRelatedField, "to_internal_value", drf_related)
