"""Filter sets of the recall lists (shared by the pages)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import RecallLevel, RecallStatus, RecallTaskStatus
from .models import RecallCampaign, RecallTask


class RecallFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/名称"), method="search", max_length=80)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecallStatus.choices)
    level = django_filters.ChoiceFilter(label=_("级别"), choices=RecallLevel.choices)

    class Meta:
        model = RecallCampaign
        fields = ["q", "status", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class RecallTaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("客户"), method="search", max_length=80)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecallTaskStatus.choices)
    campaign = django_filters.NumberFilter(
        label=_("召回 ID"), field_name="campaign_id", widget=django_filters.widgets.forms.HiddenInput
    )
    mine = django_filters.BooleanFilter(label=_("只看我负责的"), method="only_mine")

    class Meta:
        model = RecallTask
        fields = ["q", "status", "campaign", "mine"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(customer__name__icontains=value) | Q(customer__code__icontains=value))

    def only_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value and self.request else queryset
