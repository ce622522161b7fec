"""Filters of the customers and the customer-property register, shared by the list pages (views.py) and the
API (`/api/v1/customers/`, `/api/v1/customer-property/`)."""

import django_filters as filters
from django import forms
from django.core import validators
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from salesservice.core.choices import OrgUnitKind
from salesservice.core.filtersets import IdChoiceFilter, ListFilterSet, YesNoAllWidget
from salesservice.core.models import OrgUnit

from .choices import CustomerType, PropertyKind, PropertyStatus
from .models import Customer, CustomerProperty, CustomerTag
from .selectors import customer_search


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """`customer=<id>`: an integer id taken as given, without looking the row up (the list is scoped already,
    so an id outside it finds nothing). On the page a number box, shown only while a link sets it."""

    field_class = forms.IntegerField


def _tag_choices():
    return [("", "---------"), *((name, name) for name in CustomerTag.objects.values_list("name", flat=True))]


class TagSelect(forms.Select):
    def use_required_attribute(self, initial):
        return False  # a filter is never required; and Select's check would read the tags a second time


class TagField(forms.ChoiceField):
    """The tags as a select on the page (read when it is drawn), taking any name as the API's `tag=<name>`
    always did: a name not offered simply finds nothing, and no query checks it."""

    widget = TagSelect
    default_validators = [validators.ProhibitNullCharactersValidator()]

    def __init__(self, **kwargs):
        super().__init__(choices=_tag_choices, **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip()

    def valid_value(self, value):
        return True


class TagFilter(filters.CharFilter):
    """`tag=<name>` (schema: string); a select of the tags on the page."""

    field_class = TagField


def _stores(request):
    """The user's stores, closed ones included: their customers are still on the list."""
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.visible_to(request.user).filter(kind=OrgUnitKind.STORE)


class CustomerFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search",
        label=_("搜索（名称/拼音/首字母/编码/电话）"),
        help_text=_("名称 / 全拼 / 拼音首字母 / 编码 / 电话（精确）"),
    )
    customer_type = filters.ChoiceFilter(choices=CustomerType.choices, label=_("客户类型"))
    type = filters.ChoiceFilter(
        field_name="customer_type", choices=CustomerType.choices, label=_("客户类型（同 customer_type）")
    )
    store = IdChoiceFilter(queryset=_stores, label=_("门店"))
    is_key_account = filters.BooleanFilter(label=_("重点客户"), widget=YesNoAllWidget())
    tag = TagFilter(method="filter_tag", label=_("标签"), help_text=_("标签名称"))
    sales_rep = filters.NumberFilter(field_name="sales_rep_id", label=_("负责销售 ID"))
    is_anonymised = filters.BooleanFilter(label=_("已匿名化"), widget=YesNoAllWidget())

    class Meta:
        model = Customer
        fields = ["q", "customer_type", "type", "store", "is_key_account", "tag", "sales_rep", "is_anonymised"]

    link_only = ("type", "sales_rep", "is_anonymised")

    def search(self, queryset, name, value):
        return customer_search(queryset, value)

    def filter_tag(self, queryset, name, value):
        # A pk subquery, not a join: keeps one row per customer without DISTINCT.
        through = Customer.tags.through.objects.filter(customertag__name=value).values("customer_id")
        return queryset.filter(pk__in=through)


class PropertyFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("客户/描述/序列号"), help_text=_("名称/描述、标识/序列号或客户名称（包含）")
    )
    kind = filters.ChoiceFilter(choices=PropertyKind.choices, label=_("类别"))
    status = filters.ChoiceFilter(choices=PropertyStatus.choices, label=_("状态"))
    customer = IdFilter(field_name="customer_id", label=_("客户 ID"))
    holder = IdFilter(field_name="holder_id", label=_("保管人 ID"))

    class Meta:
        model = CustomerProperty
        fields = ["q", "kind", "status", "customer", "holder"]

    link_only = ("customer", "holder")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(identifier__icontains=value) | Q(customer__name__icontains=value)
        )
