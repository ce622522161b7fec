"""Filters of the provider list, shared by the page and the API (`/api/v1/service-providers/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.models import OrgUnit

from .choices import EvaluationConclusion, EvaluationStatus, ProviderStatus, ReportKind, TechnicianStatus
from .models import ProviderEvaluation, ProviderReport, ProviderTechnician, ServiceProvider


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


class TechnicianFilterSet(filters.FilterSet):
    """Technicians by provider, status and name (page `/network/technicians/` and `/api/v1/provider-technicians/`)."""

    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("姓名或网点名称"), max_length=100)
    status = filters.MultipleChoiceFilter(choices=TechnicianStatus.choices, label=_("状态"))
    provider = filters.NumberFilter(field_name="provider_id", label=_("外协网点"), min_value=1, max_value=2**31 - 1)

    class Meta:
        model = ProviderTechnician
        fields = ["q", "status", "provider"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(provider__name__icontains=value)) if value else queryset


class EvaluationFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=EvaluationStatus.choices, label=_("状态"))
    conclusion = filters.ChoiceFilter(choices=EvaluationConclusion.choices, label=_("结论"))
    provider = filters.NumberFilter(field_name="provider_id", label=_("外协网点"), min_value=1, max_value=2**31 - 1)

    class Meta:
        model = ProviderEvaluation
        fields = ["status", "conclusion", "provider"]
