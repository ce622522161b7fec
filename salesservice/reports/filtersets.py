"""Scheduled reports by kind, org unit and period (the archive page and `/api/v1/reports/`)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from .choices import ReportKind, RunOutcome
from .models import ReportRun


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

    def of_unit(self, queryset, name, value):
        if value == 0:
            return queryset.filter(org_unit__isnull=True)
        return queryset.filter(org_unit_id=value)

    def covering(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)
