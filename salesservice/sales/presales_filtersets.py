"""Filters of the pre-sales documents, shared by the list pages (presales_views.py) and the API."""

import datetime as dt

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import DayOrMomentFilter, IdChoiceFilter, ListFilterSet, YesNoAllWidget

from .choices import ClaimStatus, Department, InquiryChannel, InquiryStatus, TenderStatus
from .models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender


def _units(request):
    from salesservice.core.models import OrgUnit

    return OrgUnit.objects.none() if request is None else OrgUnit.objects.visible_to(request.user).order_by("path")


class InquiryFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search",
        label=_("搜索（单号/客户/咨询人/需求）"),
        help_text=_("咨询单号、客户名称、咨询人或需求（包含）"),
    )
    status = filters.MultipleChoiceFilter(choices=InquiryStatus.choices, label=_("状态"), distinct=False)
    channel = filters.ChoiceFilter(choices=InquiryChannel.choices, label=_("咨询方式"))
    department = filters.ChoiceFilter(choices=Department.choices, label=_("转交部门"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("超时未答复"), widget=YesNoAllWidget())
    needs_confirmed = filters.BooleanFilter(label=_("需求已确认"), widget=YesNoAllWidget())
    customer = filters.NumberFilter(field_name="customer_id", label=_("客户 ID"))
    received_after = DayOrMomentFilter(field_name="received_at", label=_("咨询日期自"))
    received_before = DayOrMomentFilter(field_name="received_at", until=True, label=_("咨询日期至"))

    class Meta:
        model = Inquiry
        fields = ["q", "status", "channel", "department", "overdue", "needs_confirmed", "customer"]

    link_only = ("customer",)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(customer__name__icontains=value)
            | Q(prospect_name__icontains=value)
            | Q(needs__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        late = Q(status=InquiryStatus.OPEN, reply_due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)


class ProductClaimFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（商品/内容）"), help_text=_("商品编码、名称或宣传内容（包含）")
    )
    status = filters.MultipleChoiceFilter(choices=ClaimStatus.choices, label=_("状态"), distinct=False)
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))

    class Meta:
        model = ProductClaim
        fields = ["q", "status", "product"]

    link_only = ("product",)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(text__icontains=value) | Q(product__name__icontains=value) | Q(product__code__icontains=value)
        )


class TenderFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search",
        label=_("搜索（登记号/项目/招标单位）"),
        help_text=_("登记号、招标编号、项目名称或招标单位（包含）"),
    )
    status = filters.MultipleChoiceFilter(choices=TenderStatus.choices, label=_("状态"), distinct=False)
    customer = filters.NumberFilter(field_name="customer_id", label=_("招标单位 ID"))
    announced_after = filters.DateFilter(field_name="announced_on", lookup_expr="gte", label=_("公告日期自"))
    announced_before = filters.DateFilter(field_name="announced_on", lookup_expr="lte", label=_("公告日期至"))

    class Meta:
        model = Tender
        fields = ["q", "status", "customer", "announced_after", "announced_before"]

    link_only = ("customer",)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(tender_no__icontains=value)
            | Q(title__icontains=value)
            | Q(customer__name__icontains=value)
        )


class RepAuthorisationFilterSet(ListFilterSet):
    """BUY-2: letters by rep, validity today, and those expiring within N days."""

    q = filters.CharFilter(
        method="search", label=_("搜索（编号/销售人员）"), help_text=_("授权书编号、销售人员姓名或用户名")
    )
    valid = filters.BooleanFilter(method="filter_valid", label=_("今日有效"), widget=YesNoAllWidget())
    expiring_within = filters.NumberFilter(
        method="filter_expiring", label=_("N 天内到期"), help_text=_("今日有效且在此天数内到期（0–3650）")
    )
    rep = filters.NumberFilter(field_name="rep_id", label=_("销售人员 ID"))

    class Meta:
        model = RepAuthorisation
        fields = ["q", "valid", "expiring_within", "rep"]

    link_only = ("rep",)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(rep__display_name__icontains=value) | Q(rep__username__icontains=value)
        )

    def filter_valid(self, queryset, name, value):
        from .presales_selectors import valid_authorisations

        valid = valid_authorisations(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=valid) if value else queryset.exclude(pk__in=valid)

    def filter_expiring(self, queryset, name, value):
        from .presales_selectors import valid_authorisations

        days = max(0, min(int(value), 3650))
        today = timezone.localdate()
        valid = valid_authorisations(today).values("pk")
        return queryset.filter(pk__in=valid, valid_until__lte=today + dt.timedelta(days=days))


class SalesPlanFilterSet(ListFilterSet):
    year = filters.NumberFilter(method="filter_year", label=_("年度"), help_text=_("年度（2000–2100）"))
    org_unit = IdChoiceFilter(queryset=_units, label=_("单位"))
    approved = filters.BooleanFilter(
        field_name="approved_at", lookup_expr="isnull", exclude=True, label=_("已批准"), widget=YesNoAllWidget()
    )

    class Meta:
        model = SalesPlan
        fields = ["year", "org_unit", "approved"]

    def filter_year(self, queryset, name, value):
        if not 2000 <= value <= 2100:
            return queryset.none()
        return queryset.filter(year=int(value))
