from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def display(value):
    """Render a table cell: local time for datetimes, '—' for empty."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value
