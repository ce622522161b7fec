"""Sane dates at every input boundary (issue 12 §1, §6): a date or time typed into a form or sent to the API
must lie between 1900-01-01 and 2100-12-31.

Without it, `9999-12-31` as the end of a period overflows when the day after is computed (a 500), and a
consent "given in year 680" is stored. Rather than trust every form and serializer to remember a validator,
`install()` (called once from `CoreConfig.ready`) makes Django's form `DateField` / `DateTimeField` and DRF's
`DateField` / `DateTimeField` refuse anything outside the range with a Chinese message — so apps built later
get it too. Query parameters parsed by hand go through `sane_date()`.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
MESSAGE = _("日期超出合理范围（1900-01-01 至 2100-12-31）")


def in_range(value) -> bool:
    if value is None:
        return True
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def sane_date(value: dt.date | None) -> dt.date | None:
    """A parsed date, or None when it lies outside the sane range (callers treat it as invalid input)."""
    return value if in_range(value) else None


def install() -> None:
    from django import forms
    from django.core.exceptions import ValidationError
    from rest_framework import fields as drf_fields

    def guard_form(field_class):
        # `clean`, not `to_python`: subclasses (django-filter's ISO date-time field, ours) override to_python.
        original = field_class.clean
        if getattr(original, "_sane_dates", False):
            return

        def clean(self, value):
            result = original(self, value)
            if not in_range(result):
                raise ValidationError(MESSAGE, code="out_of_range")
            return result

        clean._sane_dates = True
        field_class.clean = clean

    def guard_drf(field_class):
        original = field_class.to_internal_value
        if getattr(original, "_sane_dates", False):
            return

        def to_internal_value(self, value):
            result = original(self, value)
            if not in_range(result):
                raise drf_fields.ValidationError(str(MESSAGE), code="out_of_range")
            return result

        to_internal_value._sane_dates = True
        field_class.to_internal_value = to_internal_value

    for field_class in (forms.DateField, forms.DateTimeField):
        guard_form(field_class)
    for field_class in (drf_fields.DateField, drf_fields.DateTimeField):
        guard_drf(field_class)
