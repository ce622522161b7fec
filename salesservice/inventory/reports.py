"""Stock analysis 库存分析 (INV-3: 分析库存结构，避免积压与缺货) — per product, in the user's warehouses.

For a period (start and end dates, both included; default the last 90 days) and optionally one warehouse:

- 在库 `on_hand`: now, in the quarantine, staging and storage locations (the 不合格品区 is not stock to sell
  or to count on); 期初 `opening` / 期末 `closing`: the same at the start / end of the period, derived from the
  ledger (now minus what came in net after that moment), so history needs no snapshot;
- 出库 `issued`: the `ship` moves of the period; 日均出库 `daily` = issued ÷ days of the period;
- 周转次数 `turnover` = issued ÷ average on hand ((opening + closing) ÷ 2);
- 可供天数 `cover` = on hand ÷ daily issue (none when nothing was issued);
- 呆滞 `slow`: stock on hand but no issue in the last `inventory.slow_moving_days` days (a product never
  issued counts from its first receipt);
- 缺货风险 `at_risk`: cover below the lead time `inventory.lead_time_days`;
- 建议补货 `reorder`: what brings the cover up to `inventory.target_cover_days` (daily × target − on hand).

Two grouped queries (quants, moves) and one for the products, whatever the number of products (no N+1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.catalog.models import Product
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import require_perm

from .choices import LocationKind, MoveKind
from .errors import InventoryErrorCode as E
from .models import StockMove, StockQuant, Warehouse

DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 3 * 366
COUNTED = (LocationKind.QUARANTINE, LocationKind.STAGING, LocationKind.STORAGE)
POLICY = {
    "slow_moving_days": ("inventory.slow_moving_days", 90),
    "lead_time_days": ("inventory.lead_time_days", 14),
    "target_cover_days": ("inventory.target_cover_days", 30),
}
FLAGS = {"slow": gettext_lazy("呆滞"), "risk": gettext_lazy("缺货风险"), "reorder": gettext_lazy("建议补货")}


@dataclass
class Parameters:
    start: dt.date
    end: dt.date
    slow_moving_days: int
    lead_time_days: int
    target_cover_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class ProductStock:
    product: Product
    on_hand: int
    opening: int
    closing: int
    issued: int
    last_issue: dt.datetime | None
    first_in: dt.datetime | None
    params: Parameters

    @property
    def pk(self) -> int:
        return self.product.pk

    @property
    def daily(self) -> Decimal:
        return Decimal(self.issued) / Decimal(self.params.days)

    @property
    def average(self) -> Decimal:
        return (Decimal(self.opening) + Decimal(self.closing)) / 2

    @property
    def turnover(self) -> Decimal | None:
        if self.average <= 0:
            return None
        return (Decimal(self.issued) / self.average).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def cover(self) -> Decimal | None:
        if not self.issued:
            return None
        return (Decimal(self.on_hand) / self.daily).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def slow(self) -> bool:
        if self.on_hand <= 0:
            return False
        since = self.last_issue or self.first_in
        if since is None:
            return True
        cutoff = timezone.localdate() - dt.timedelta(days=self.params.slow_moving_days)
        return timezone.localtime(since).date() < cutoff

    @property
    def at_risk(self) -> bool:
        cover = self.cover
        return cover is not None and cover < self.params.lead_time_days

    @property
    def reorder(self) -> int:
        if not self.issued:
            return 0
        target = -(-self.issued * self.params.target_cover_days // self.params.days)  # exact ceiling
        return max(0, target - self.on_hand)

    @property
    def flags(self) -> list[str]:
        return [code for code, on in (("slow", self.slow), ("risk", self.at_risk), ("reorder", self.reorder > 0)) if on]

    @property
    def flag_labels(self) -> str:
        return "、".join(str(FLAGS[code]) for code in self.flags)

    def as_dict(self) -> dict:
        return {
            "product": self.product.pk,
            "product_code": self.product.code,
            "product_name": self.product.name,
            "on_hand": self.on_hand,
            "opening": self.opening,
            "closing": self.closing,
            "issued": self.issued,
            "average_on_hand": self.average.quantize(Decimal("0.1"), ROUND_HALF_UP),
            "turnover": self.turnover,
            "cover_days": self.cover,
            "last_issue": self.last_issue,
            "slow": self.slow,
            "at_risk": self.at_risk,
            "reorder": self.reorder,
        }


def _policy_days(key: str, default: int) -> int:
    from salesservice.core.policy import policy_value

    try:
        return int(policy_value(key))
    except Exception:  # noqa: BLE001 — a missing parameter must not break the report
        return default


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(
            E.INVALID_PERIOD,
            _("日期“%(value)s”格式不对，应为 YYYY-MM-DD") % {"value": str(value)[:20]},
            fields={field: [_("格式应为 YYYY-MM-DD")]},
        ) from None


def parameters(start=None, end=None) -> Parameters:
    """The period (validated: dates, start ≤ end ≤ today, at most 3 years) and the policy in force.
    Bad input → 400 `inventory.invalid_period` with a Chinese message."""
    today = timezone.localdate()
    end_date = _date(end, "end") or today
    if end_date > today:
        raise DomainError(E.INVALID_PERIOD, _("分析期间的结束日期不能晚于今天"), fields={"end": [_("晚于今天")]})
    start_date = _date(start, "start")
    if start_date is None:
        start_date = end_date - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start_date > end_date:
        raise DomainError(
            E.INVALID_PERIOD, _("分析期间的开始日期不能晚于结束日期"), fields={"start": [_("晚于结束日期")]}
        )
    if (end_date - start_date).days + 1 > MAX_PERIOD_DAYS:
        raise DomainError(E.INVALID_PERIOD, _("分析期间不能超过 3 年"), fields={"start": [_("期间过长")]})
    policy = {name: _policy_days(key, default) for name, (key, default) in POLICY.items()}
    return Parameters(start=start_date, end=end_date, **policy)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def stock_analysis(
    *, actor, start=None, end=None, warehouse=None, q: str = "", flag: str = ""
) -> tuple[Parameters, list[ProductStock]]:
    """INV-3: turnover, slow movers, stock-out risk and reorder suggestions per product, over the warehouses
    `actor` may see (or the one given — out of scope → 404). Sorted by product code."""
    from .services import _warehouse

    require_perm(actor, "inventory.view_stockquant")
    params = parameters(start, end)
    quants = StockQuant.objects.visible_to(actor) if actor is not None else StockQuant.objects.all()
    moves = StockMove.objects.visible_to(actor) if actor is not None else StockMove.objects.all()
    if warehouse not in (None, ""):
        chosen: Warehouse = _warehouse(actor, warehouse)
        quants, moves = quants.filter(warehouse=chosen), moves.filter(warehouse=chosen)
    q = (q or "").strip()[:100]
    if q:
        match = Q(product__code__icontains=q) | Q(product__name__icontains=q)
        quants, moves = quants.filter(match), moves.filter(match)

    on_hand = dict(
        quants.filter(location__kind__in=COUNTED)
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    start_at, end_at = _moment(params.start), _moment(params.end + dt.timedelta(days=1))
    inflow = Case(When(to_location__kind__in=COUNTED, then=F("quantity")), default=Value(0))
    outflow = Case(When(from_location__kind__in=COUNTED, then=F("quantity")), default=Value(0))
    net = inflow - outflow
    ship = Q(kind=MoveKind.SHIP)
    figures = {
        row["product_id"]: row
        for row in moves.order_by()
        .values("product_id")
        .annotate(
            issued=Sum("quantity", filter=ship & Q(at__gte=start_at, at__lt=end_at)),
            net_since_start=Sum(net, filter=Q(at__gte=start_at), output_field=IntegerField()),
            net_since_end=Sum(net, filter=Q(at__gte=end_at), output_field=IntegerField()),
            last_issue=Max("at", filter=ship),
            first_in=Min("at", filter=Q(from_location__isnull=True)),
        )
    }
    products = Product.objects.in_bulk(set(on_hand) | set(figures))
    rows = []
    for pk, product in products.items():
        now = on_hand.get(pk) or 0
        row = figures.get(pk, {})
        item = ProductStock(
            product=product,
            on_hand=now,
            opening=now - (row.get("net_since_start") or 0),
            closing=now - (row.get("net_since_end") or 0),
            issued=row.get("issued") or 0,
            last_issue=row.get("last_issue"),
            first_in=row.get("first_in"),
            params=params,
        )
        if not (item.on_hand or item.issued or item.opening or item.closing):
            continue
        if flag and flag not in item.flags:
            continue
        rows.append(item)
    rows.sort(key=lambda r: r.product.code)
    return params, rows
