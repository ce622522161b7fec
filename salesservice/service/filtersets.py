"""Filters of the service requests and the knowledge base, shared by the pages (desk_views.py) and the API
(`/api/v1/service-requests/`, `/api/v1/knowledge-articles/`)."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.catalog.models import ProductCategory
from salesservice.core.filtersets import (
    DayOrMomentFilter,
    IdChoiceFilter,
    ListFilterSet,
    SubtreeFilter,
    YesNoAllWidget,
    scoped_stores,
    scoped_units,
)
from salesservice.core.models import User

from .choices import RUNNING_STATUSES, Channel, EscalationLevel, KnowledgeStatus, ServiceCategory, ServiceRequestStatus
from .models import KnowledgeArticle, ServiceRequest
from .selectors import knowledge_search, service_request_search


def _engineers(request):
    if request is None:
        return User.objects.none()
    return User.objects.visible_to(request.user).filter(memberships__role__name="engineer").order_by("display_name")


class ServiceRequestFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（单号/客户/描述/序列号）"), help_text=_("单号 / 问题描述 / 客户名称 / 序列号")
    )
    # distinct=False: a plain IN on the row's own column needs no DISTINCT (which sorted the whole list).
    status = filters.MultipleChoiceFilter(choices=ServiceRequestStatus.choices, label=_("状态"), distinct=False)
    category = filters.ChoiceFilter(choices=ServiceCategory.choices, label=_("服务类别"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"))
    store = IdChoiceFilter(queryset=scoped_stores, label=_("门店"))
    assignee = IdChoiceFilter(queryset=_engineers, label=_("负责工程师"))
    provider = filters.NumberFilter(field_name="provider_id", label=_("外协网点 ID"))
    escalation_level = filters.ChoiceFilter(choices=EscalationLevel.choices, label=_("升级级别"))
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        label=_("已超时"),
        help_text=_("超时（运行中且已过升级或首次联系时限）"),
        widget=YesNoAllWidget(),
    )
    received_after = DayOrMomentFilter(field_name="received_at", label=_("受理日期自"))
    received_before = DayOrMomentFilter(field_name="received_at", until=True, label=_("受理日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = ServiceRequest
        fields = [
            "q",
            "status",
            "category",
            "channel",
            "store",
            "assignee",
            "provider",
            "escalation_level",
            "overdue",
            "received_after",
            "received_before",
            "unit",
        ]

    link_only = ("provider", "unit")

    def search(self, queryset, name, value):
        return service_request_search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        now = timezone.now()
        late = Q(status__in=RUNNING_STATUSES) & (
            Q(escalation_due_at__lte=now) | Q(first_contacted_at__isnull=True, first_contact_due_at__lte=now)
        )
        return queryset.filter(late) if value else queryset.exclude(late)


class KnowledgeArticleFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"), help_text=_("标题或正文包含（中文子串，空格分隔多个词）"))
    category = filters.ChoiceFilter(field_name="service_category", choices=ServiceCategory.choices, label=_("服务类别"))
    product_category = IdChoiceFilter(queryset=ProductCategory.objects.all(), label=_("商品分类"))
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))
    status = filters.ChoiceFilter(choices=KnowledgeStatus.choices, label=_("状态"))

    class Meta:
        model = KnowledgeArticle
        fields = ["q", "category", "product_category", "product", "status"]

    link_only = ("product",)

    def search(self, queryset, name, value):
        return knowledge_search(queryset, value)
