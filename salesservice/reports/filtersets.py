"""Scheduled reports by kind, org unit and period (the archive page and `/api/v1/reports/`)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind, RunOutcome
from .models import ReportRun


def _unit_choices(user) -> list[tuple[str, str]]:
    """The page's unit filter: the company (HQ only), then the regions and stores in the user's scope."""
    from salesservice.core.models import OrgUnit
    from salesservice.core.scoping import is_hq, visible_unit_ids

    units = OrgUnit.objects.filter(kind__in=("region", "store")).order_by("path")
    ids = visible_unit_ids(user)
    if not user.is_superuser and ids is not None:
        units = units.filter(pk__in=ids)
    head = [("", "---------")] + ([("0", str(_("全公司")))] if is_hq(user) else [])
    return head + [(str(unit.pk), unit.name) for unit in units]


class ReportRunFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices, label=_("报告类型"))
    unit = filters.NumberFilter(
        method="of_unit", label=_("组织单位"), help_text=_("组织单位 ID；0 为全公司"), min_value=0, max_value=2**31 - 1
    )
    start = filters.DateFilter(field_name="period_start", label=_("期间开始"))
    covers = filters.DateFilter(method="covering", label=_("包含日期"), help_text=_("报告期间包含此日期"))
    outcome = filters.ChoiceFilter(choices=RunOutcome.choices, label=_("生成结果"))

    class Meta:
        model = ReportRun
        fields = ["kind", "unit", "start", "covers", "outcome"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not hasattr(request, "accepted_renderer"):  # the page, not the API
            self.filters["unit"].extra["widget"] = forms.Select(choices=lambda: _unit_choices(request.user))

    def of_unit(self, queryset, name, value):
        if value == 0:
            return queryset.filter(org_unit__isnull=True)
        return queryset.filter(org_unit_id=value)

    def covering(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)
