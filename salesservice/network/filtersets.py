"""Filters of the provider list, shared by the page and the API (`/api/v1/service-providers/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.models import OrgUnit

from .choices import ProviderStatus, ReportKind
from .models import ProviderReport, ServiceProvider


class ServiceProviderFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("编码、名称、联系人或地址"))
    status = filters.MultipleChoiceFilter(choices=ProviderStatus.choices, label=_("状态"))
    org_unit = filters.ModelChoiceFilter(queryset=OrgUnit.objects.all(), label=_("服务区域"))

    class Meta:
        model = ServiceProvider
        fields = ["q", "status", "org_unit"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["org_unit"].queryset = OrgUnit.objects.exclude(kind="department").order_by("path")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(address__icontains=value)
        )


class ProviderReportFilterSet(filters.FilterSet):
    """Reports by kind and by the day their period covers (page and `/api/v1/provider-reports/`)."""

    kind = filters.ChoiceFilter(choices=ReportKind.choices, label=_("类型"))
    covers = filters.DateFilter(method="covering", label=_("包含日期"), help_text=_("报告期间包含此日期"))

    class Meta:
        model = ProviderReport
        fields = ["kind", "covers"]

    def covering(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)
