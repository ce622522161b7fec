"""Filters of the supervision lists, shared by the list pages (views.py) and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import ListFilterSet

from .choices import CheckMethod, CheckStatus, FindingStatus, IssueStatus, Severity
from .models import CoordinationIssue, Finding, SupervisionCheck


class CheckFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/标题/单位）"))
    status = filters.MultipleChoiceFilter(choices=CheckStatus.choices, label=_("状态"), distinct=False)
    method = filters.MultipleChoiceFilter(choices=CheckMethod.choices, label=_("检查方式"), distinct=False)
    planned_after = filters.DateFilter(field_name="planned_on", lookup_expr="gte", label=_("计划日期自"))
    planned_before = filters.DateFilter(field_name="planned_on", lookup_expr="lte", label=_("计划日期至"))

    class Meta:
        model = SupervisionCheck
        fields = ["q", "status", "method", "planned_after", "planned_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(org_unit__name__icontains=value)
        )


class FindingFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/问题/单位）"))
    status = filters.MultipleChoiceFilter(choices=FindingStatus.choices, label=_("状态"), distinct=False)
    severity = filters.MultipleChoiceFilter(choices=Severity.choices, label=_("严重程度"), distinct=False)
    mine = filters.BooleanFilter(method="filter_mine", label=_("我负责的"))
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("整改期限至"))

    class Meta:
        model = Finding
        fields = ["q", "status", "severity", "mine", "deadline_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value) | Q(description__icontains=value) | Q(org_unit__name__icontains=value)
        )

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None and user.is_authenticated:
            return queryset.filter(owner=user)
        return queryset


class IssueFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编号/标题）"))
    status = filters.MultipleChoiceFilter(choices=IssueStatus.choices, label=_("状态"), distinct=False)
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("期限至"))

    class Meta:
        model = CoordinationIssue
        fields = ["q", "status", "deadline_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))
