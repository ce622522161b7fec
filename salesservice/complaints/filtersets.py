"""Filters of the complaints and the recoveries, shared by the pages (views.py: the lists and the analytics)
and the API (`/api/v1/complaints/`, `/api/v1/recoveries/`)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import (
    DayOrMomentFilter,
    IdChoiceFilter,
    ListFilterSet,
    SubtreeFilter,
    YesNoAllWidget,
    scoped_stores,
    scoped_units,
)

from .choices import ComplaintChannel, ComplaintLevel, ComplaintStatus, RecoveryStatus, ResponsibleParty
from .models import Complaint, Recovery
from .selectors import complaint_search, overdue_condition


class ComplaintFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/客户/主题）"), help_text=_("单号 / 主题 / 内容 / 客户名称")
    )
    # distinct=False: an IN on the row's own column needs no DISTINCT.
    status = filters.MultipleChoiceFilter(choices=ComplaintStatus.choices, label=_("状态"), distinct=False)
    level = filters.ChoiceFilter(choices=ComplaintLevel.choices, label=_("处理级别"))
    is_major = filters.BooleanFilter(label=_("重大投诉"), widget=YesNoAllWidget())
    store = IdChoiceFilter(queryset=scoped_stores, label=_("门店"))
    channel = filters.ChoiceFilter(choices=ComplaintChannel.choices, label=_("渠道"))
    responsible_party = filters.ChoiceFilter(choices=ResponsibleParty.choices, label=_("责任方"))
    handler = filters.NumberFilter(field_name="handler_id", label=_("处理人 ID"))
    service_request = filters.NumberFilter(field_name="service_request_id", label=_("服务单 ID"))
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        label=_("已超时"),
        help_text=_("超时（首次答复或升级时限已过）"),
        widget=YesNoAllWidget(),
    )
    received_after = DayOrMomentFilter(field_name="received_at", label=_("受理日期自"))
    received_before = DayOrMomentFilter(field_name="received_at", until=True, label=_("受理日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = Complaint
        fields = [
            "q",
            "status",
            "level",
            "is_major",
            "store",
            "channel",
            "responsible_party",
            "handler",
            "service_request",
            "overdue",
            "received_after",
            "received_before",
            "unit",
        ]

    link_only = ("handler", "service_request", "unit")

    def search(self, queryset, name, value):
        return complaint_search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        late = overdue_condition()
        return queryset.filter(late) if value else queryset.exclude(late)


class RecoveryFilterSet(ListFilterSet):
    status = filters.ChoiceFilter(choices=RecoveryStatus.choices, label=_("状态"))
    party = filters.ChoiceFilter(choices=ResponsibleParty.choices, label=_("追偿对象类型"))
    complaint = filters.NumberFilter(field_name="complaint_id", label=_("投诉单 ID"))

    class Meta:
        model = Recovery
        fields = ["status", "party", "complaint"]

    link_only = ("complaint",)
