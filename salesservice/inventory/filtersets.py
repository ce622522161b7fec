"""Filters of the inventory lists, shared by the pages (views.py) and the API (api/views.py)."""

import datetime as dt

import django_filters as filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.filtersets import (
    DayOrMomentFilter,
    IdChoiceFilter,
    ListFilterSet,
    SubtreeFilter,
    YesNoAllWidget,
    scoped_units,
)

from .choices import LocationKind, MoveKind, ReadingSource, StockCountStatus
from .models import Location, Lot, StockCount, StockMove, StockQuant, StorageReading, Warehouse


def near_expiry_days() -> int:
    from salesservice.core.policy import policy_value

    try:
        return int(policy_value("inventory.near_expiry_days"))
    except Exception:  # noqa: BLE001 — a missing parameter must not break a list
        return 90


def _warehouses(request):
    if request is None:
        return Warehouse.objects.none()
    return Warehouse.objects.visible_to(request.user).filter(is_active=True)


class StockState(filters.ChoiceFilter):
    """`state=`: what may happen to the stock (SUP-7): allocatable, in quarantine, held, expired, near expiry."""

    CHOICES = [
        ("allocatable", _("可分配")),
        ("quarantine", _("待验")),
        ("held", _("冻结")),
        ("expired", _("已过期")),
        ("near_expiry", _("近效期")),
    ]

    def __init__(self, *args, lot_path: str = "lot__", **kwargs):
        self.lot_path = lot_path
        kwargs.setdefault("choices", self.CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        p = self.lot_path
        today = timezone.localdate()
        if value == "quarantine":
            return qs.filter(location__kind=LocationKind.QUARANTINE, quantity__gt=0)
        if value == "held":
            return qs.filter(**{f"{p}held": True})
        if value == "expired":
            return qs.filter(**{f"{p}expiry_date__lt": today})
        if value == "near_expiry":
            limit = today + dt.timedelta(days=near_expiry_days())
            return qs.filter(**{f"{p}expiry_date__gte": today, f"{p}expiry_date__lte": limit})
        return qs.filter(
            Q(**{f"{p}expiry_date__isnull": True}) | Q(**{f"{p}expiry_date__gte": today}),
            location__kind=LocationKind.STORAGE,
            quantity__gt=F("reserved"),
            **{f"{p}held": False},
        )


class StockQuantFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（商品/批号/序列号）"), help_text=_("商品编码或名称、批号、序列号")
    )
    warehouse = IdChoiceFilter(queryset=_warehouses, label=_("仓库"))
    location_kind = filters.ChoiceFilter(field_name="location__kind", choices=LocationKind.choices, label=_("库位类型"))
    state = StockState(label=_("库存状态"))
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))
    lot = filters.NumberFilter(field_name="lot_id", label=_("批次 ID"))
    location = filters.NumberFilter(field_name="location_id", label=_("库位 ID"))
    include_empty = filters.BooleanFilter(method="filter_empty", label=_("含零库存"), widget=YesNoAllWidget())

    class Meta:
        model = StockQuant
        fields = ["q", "warehouse", "location_kind", "state", "product", "lot", "location", "include_empty"]

    link_only = ("product", "lot", "location")

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("include_empty"):
            queryset = queryset.filter(quantity__gt=0)
        return queryset

    def filter_empty(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(product__code__icontains=value)
            | Q(product__name__icontains=value)
            | Q(lot__lot_number__icontains=value)
            | Q(lot__serial_number=value)
        )


class LotFilterSet(ListFilterSet):
    q = filters.CharFilter(
        method="search", label=_("搜索（批号/序列号/商品）"), help_text=_("批号、序列号、商品编码或名称")
    )
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))
    held = filters.BooleanFilter(label=_("冻结"), widget=YesNoAllWidget())
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[("expired", _("已过期")), ("near_expiry", _("近效期")), ("valid", _("有效期内"))],
        label=_("效期"),
    )
    expires_before = filters.DateFilter(field_name="expiry_date", lookup_expr="lte", label=_("有效期至（不晚于）"))

    class Meta:
        model = Lot
        fields = ["q", "product", "held", "state", "expires_before"]

    link_only = ("product",)

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(expiry_date__lt=today)
        if value == "near_expiry":
            return queryset.filter(
                expiry_date__gte=today, expiry_date__lte=today + dt.timedelta(days=near_expiry_days())
            )
        if value == "valid":
            return queryset.filter(Q(expiry_date__isnull=True) | Q(expiry_date__gte=today))
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(lot_number__icontains=value)
            | Q(serial_number=value)
            | Q(product__code__icontains=value)
            | Q(product__name__icontains=value)
        )


class StockMoveFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（单号/批号/商品）"), help_text=_("来源单号、批号、商品编码"))
    warehouse = IdChoiceFilter(queryset=_warehouses, label=_("仓库"))
    kind = filters.MultipleChoiceFilter(choices=MoveKind.choices, label=_("类型"), distinct=False)
    product = filters.NumberFilter(field_name="product_id", label=_("商品 ID"))
    lot = filters.NumberFilter(field_name="lot_id", label=_("批次 ID"))
    location = filters.NumberFilter(method="filter_location", label=_("库位 ID"))
    after = DayOrMomentFilter(field_name="at", label=_("日期自"))
    before = DayOrMomentFilter(field_name="at", until=True, label=_("日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = StockMove
        fields = ["q", "warehouse", "kind", "product", "lot", "location", "after", "before", "unit"]

    link_only = ("product", "lot", "location", "unit")

    def filter_location(self, queryset, name, value):
        return queryset.filter(Q(from_location_id=value) | Q(to_location_id=value))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(reference_number__icontains=value) | Q(lot__lot_number__icontains=value) | Q(product__code=value)
        )


class WarehouseFilterSet(ListFilterSet):
    q = filters.CharFilter(method="search", label=_("搜索（编码/名称）"), help_text=_("仓库编码或名称"))
    is_active = filters.BooleanFilter(label=_("启用"), widget=YesNoAllWidget())

    class Meta:
        model = Warehouse
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class LocationFilterSet(ListFilterSet):
    warehouse = IdChoiceFilter(queryset=_warehouses, label=_("仓库"))
    kind = filters.ChoiceFilter(choices=LocationKind.choices, label=_("类型"))

    class Meta:
        model = Location
        fields = ["warehouse", "kind"]


class StockCountFilterSet(ListFilterSet):
    q = filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("盘点单号"), help_text=_("盘点单号"))
    status = filters.MultipleChoiceFilter(choices=StockCountStatus.choices, label=_("状态"), distinct=False)
    warehouse = IdChoiceFilter(queryset=_warehouses, label=_("仓库"))

    class Meta:
        model = StockCount
        fields = ["q", "status", "warehouse"]


class StorageReadingFilterSet(ListFilterSet):
    warehouse = IdChoiceFilter(queryset=_warehouses, label=_("仓库"))
    location = filters.NumberFilter(field_name="location_id", label=_("库位 ID"))
    excursion = filters.BooleanFilter(label=_("超限"), widget=YesNoAllWidget())
    source = filters.ChoiceFilter(choices=ReadingSource.choices, label=_("来源"))
    after = DayOrMomentFilter(field_name="recorded_at", label=_("日期自"))
    before = DayOrMomentFilter(field_name="recorded_at", until=True, label=_("日期至"))
    unit = SubtreeFilter(queryset=scoped_units, label=_("组织单位（含下级）"))

    class Meta:
        model = StorageReading
        fields = ["warehouse", "location", "excursion", "source", "after", "before", "unit"]

    link_only = ("location", "unit")
