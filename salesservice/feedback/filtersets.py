"""Filters of the follow-ups and the suggestion box, shared by the list pages (views.py) and the API
(`/api/v1/follow-ups/`, `/api/v1/suggestions/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import DayOrMomentFilter, IdChoiceFilter, ListFilterSet, YesNoAllWidget, scoped_stores
from salesservice.core.models import User

from .choices import OPEN_FOLLOW_UP_STATUSES, FollowUpKind, FollowUpStatus, SuggestionKind, SuggestionStatus
from .models import FollowUp, Suggestion
from .services import ASSIGNEE_ROLES


def _stores(request):
    return scoped_stores(request).order_by("code")


def _assignees(request):
    if request is None:
        return User.objects.none()
    return (
        User.objects.visible_to(request.user)
        .filter(memberships__role__name__in=ASSIGNEE_ROLES)
        .distinct()
        .order_by("display_name")
    )


class FollowUpFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/客户/来源单号）"), help_text=_("回访单号 / 客户名称 / 来源单号（包含）")
    )
    # distinct=False: an IN on the row's own column needs no DISTINCT.
    status = filters.MultipleChoiceFilter(choices=FollowUpStatus.choices, label=_("状态"), distinct=False)
    kind = filters.ChoiceFilter(choices=FollowUpKind.choices, label=_("回访类型"))
    store = IdChoiceFilter(queryset=_stores, label=_("门店"))
    assignee = IdChoiceFilter(queryset=_assignees, label=_("回访人"))
    open = filters.BooleanFilter(
        method="filter_open", label=_("未完成"), help_text=_("未完成（待回访或未联系上）"), widget=YesNoAllWidget()
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        label=_("已逾期"),
        help_text=_("已逾期（未完成且已过应回访时间）"),
        widget=YesNoAllWidget(),
    )
    due_after = DayOrMomentFilter(field_name="due_at", label=_("应回访自"))
    due_before = DayOrMomentFilter(field_name="due_at", until=True, label=_("应回访至"))
    customer = filters.NumberFilter(field_name="customer_id", label=_("客户 ID"))
    service_request = filters.NumberFilter(field_name="service_request_id", label=_("服务单 ID"))

    class Meta:
        model = FollowUp
        fields = [
            "q",
            "status",
            "kind",
            "store",
            "assignee",
            "open",
            "overdue",
            "due_after",
            "due_before",
            "customer",
            "service_request",
        ]

    link_only = ("customer", "service_request")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(customer__name__icontains=value) | Q(source_number__icontains=value)
        )

    def filter_open(self, queryset, name, value):
        condition = Q(status__in=OPEN_FOLLOW_UP_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_overdue(self, queryset, name, value):
        condition = Q(status__in=OPEN_FOLLOW_UP_STATUSES, due_at__lte=timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class SuggestionFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（编号/姓名/内容）"), help_text=_("编号 / 姓名 / 内容（包含）")
    )
    # distinct=False: an IN on the row's own column needs no DISTINCT.
    status = filters.MultipleChoiceFilter(choices=SuggestionStatus.choices, label=_("状态"), distinct=False)
    kind = filters.ChoiceFilter(choices=SuggestionKind.choices, label=_("类型"))
    store = IdChoiceFilter(queryset=_stores, label=_("门店"))

    class Meta:
        model = Suggestion
        fields = ["q", "status", "kind", "store"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value) | Q(text__icontains=value))
