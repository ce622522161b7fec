"""Reads of the trace app (TRC-2: 出库单 → 发货单 → 销售单据/合同 → 入库验收 → 供货者): scoped, a fixed number of
queries whatever the size of the answer.

- `traceable_lots(user)`: the lots a user may trace — those in a sales record the user sees or in a warehouse the
  user sees (HQ: all).
- `trace_lots(user, lot=…/serial=…)`: lot or serial → every customer who received it (the GSP sales records:
  customer, order, contract, shipment, sale date, quantity, contact) and the backward path (receipt → purchase
  order → supplier) and the outbound stock moves (出库) — 4 queries.
- `trace_customer(user, customer_id)`: customer → every lot / serial it received, with the same backward path —
  3 queries.
- `reconciliation(campaign)`: per affected lot, shipped vs recovered vs in stock vs outstanding — 4 queries.

The sales records are read through `SalesRecord.objects.visible_to(user)` (a store sees its own sales); once a lot
is in the user's scope its supply path (receipts, supplier, outbound moves) is shown whole — it is the lot's own
history, which TRC-2 requires to be traceable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, Subquery, Sum

from salesservice.core.input_guards import parse_id
from salesservice.core.privacy import mask_phone
from salesservice.core.scoping import visible_unit_ids
from salesservice.inventory.choices import MoveKind
from salesservice.inventory.models import Lot, StockMove, StockQuant
from salesservice.purchasing.models import ReceiptLot
from salesservice.sales.models import SalesRecord
from salesservice.suppliers.models import Supplier

from .choices import TraceKind

RECORD_LIMIT = 2000  # rows of sales records one trace answers (the flag `truncated` says when there were more)
LOT_LIMIT = 50  # lots matching one lot number (one per product) or serial
MOVE_LIMIT = 500


def may_reveal(user) -> bool:
    """Trace answers are lists: phones are always masked there (DESIGN §7 — a full value is read one at a time
    through a logged reveal, as on the recall task page)."""
    return False


def traceable_lots(user):
    """Lots `user` may trace: in a sales record the user sees, or stocked in a warehouse the user sees. Correlated
    EXISTS per candidate lot (index on the record's lot), so the cost follows the lots asked for, not the scope."""
    queryset = Lot.objects.all()
    if user is None:
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or visible_unit_ids(user) is None:
        return queryset
    sold = SalesRecord.objects.visible_to(user).filter(lot_id=OuterRef("pk"))
    stocked = StockQuant.objects.visible_to(user).filter(lot_id=OuterRef("pk"))
    return queryset.filter(Exists(sold) | Exists(stocked))


@dataclasses.dataclass
class CustomerRow:
    """One customer who received the traced lot(s): totals over its sales records."""

    customer_id: int
    name: str
    code: str
    quantity: int = 0
    orders: list[str] = dataclasses.field(default_factory=list)
    contracts: list[str] = dataclasses.field(default_factory=list)
    lots: list[str] = dataclasses.field(default_factory=list)
    last_sale_date: dt.date | None = None
    contact: str = ""
    phone: str = ""
    address: str = ""


@dataclasses.dataclass
class LotRow:
    """One traced lot / serial: the product, its supply path and where it went."""

    lot: Lot
    supplier_name: str = ""
    receipts: list = dataclasses.field(default_factory=list)  # ReceiptLot with line → receipt → order → supplier
    outbound: list = dataclasses.field(default_factory=list)  # StockMove kind=ship
    shipped: int = 0
    customers: int = 0
    orders: list[str] = dataclasses.field(default_factory=list)
    last_sale_date: dt.date | None = None

    @property
    def suppliers(self) -> list[str]:
        names = [rl.line.receipt.order.supplier.name for rl in self.receipts]
        if not names and self.supplier_name:
            names = [self.supplier_name]
        return list(dict.fromkeys(names))


@dataclasses.dataclass
class TraceResult:
    """What a trace answers (TRC-2): the lots, the sales records, the customers; `truncated` past the limit."""

    kind: str
    value: str
    lots: list[LotRow]
    records: list[SalesRecord]
    customers: list[CustomerRow]
    customer: object = None
    truncated: bool = False
    revealed: bool = False

    @property
    def shipped(self) -> int:
        return sum(record.quantity for record in self.records)


def _with_supplier(queryset):
    return queryset.annotate(
        supplier_name=Subquery(Supplier.objects.filter(pk=OuterRef("supplier_id")).values("name")[:1])
    )


def find_lots(user, *, lot: str = "", serial: str = "") -> list[Lot]:
    """Lots matching a lot id or lot number (`lot`) or a serial number (`serial`), within what `user` may trace."""
    value = (lot or serial or "").strip()[:80]
    if not value:
        return []
    if serial:
        condition = Q(serial_number=value)
    else:
        condition = Q(lot_number=value)
        pk = parse_id(value)
        if pk is not None:
            condition |= Q(pk=pk)
    queryset = _with_supplier(traceable_lots(user).filter(condition).select_related("product"))
    return list(queryset.order_by("product__code", "lot_number", "serial_number", "pk")[:LOT_LIMIT])


# The columns a trace shows: the record's own, and of its order, contract and customer only what is displayed.
RECORD_FIELDS = (
    *(
        f.name
        for f in SalesRecord._meta.concrete_fields
        if f.name not in ("specification", "registration_no", "manufacturer", "manufacturer_licence_no", "created_at")
    ),
    "order__number",
    "order__contract_id",
    "order__contract__number",
    "customer__code",
    "customer__name",
)


def _records(queryset, *, lots: bool = False):
    related = ["order", "order__contract", "customer"]
    fields = list(RECORD_FIELDS)
    if lots:  # a customer's trace shows each lot with its product
        related.append("lot__product")
        fields += [f"lot__{f.name}" for f in Lot._meta.concrete_fields]
        fields += ["lot__product__code", "lot__product__name"]
    queryset = queryset.select_related(*related).only(*fields)
    return list(queryset.order_by("-sale_date", "-id")[: RECORD_LIMIT + 1])


def _receipts(lot_ids) -> dict[int, list]:
    by_lot: dict[int, list] = defaultdict(list)
    rows = (
        ReceiptLot.objects.filter(lot_id__in=lot_ids)
        .select_related("line__receipt__order__supplier")
        .order_by("line__receipt__received_at", "id")
    )
    for row in rows:
        by_lot[row.lot_id].append(row)
    return by_lot


def _customers(records, reveal: bool) -> list[CustomerRow]:
    rows: dict[int, CustomerRow] = {}
    for record in records:  # newest first: the first record of a customer gives its current contact
        row = rows.get(record.customer_id)
        if row is None:
            row = rows[record.customer_id] = CustomerRow(
                customer_id=record.customer_id,
                name=record.buyer_name or record.customer.name,
                code=record.customer.code,
                last_sale_date=record.sale_date,
                contact=record.contact,
                phone=record.phone if reveal else mask_phone(record.phone),
                address=record.address,
            )
        row.quantity += record.quantity
        for values, value in (
            (row.orders, record.order.number),
            (row.contracts, record.order.contract.number if record.order.contract_id else ""),
            (row.lots, record.lot_number or record.serial_number),
        ):
            if value and value not in values:
                values.append(value)
    return sorted(rows.values(), key=lambda row: (-row.quantity, row.name))


def trace_lots(user, *, lot: str = "", serial: str = "") -> TraceResult | None:
    """TRC-2 forward and backward from a lot or serial: None when no lot matches in the user's scope."""
    lots = find_lots(user, lot=lot, serial=serial)
    if not lots:
        return None
    ids = [item.pk for item in lots]
    records = _records(SalesRecord.objects.visible_to(user).filter(lot_id__in=ids))
    truncated = len(records) > RECORD_LIMIT
    records = records[:RECORD_LIMIT]
    receipts = _receipts(ids)
    outbound: dict[int, list] = defaultdict(list)
    moves = (
        StockMove.objects.filter(lot_id__in=ids, kind=MoveKind.SHIP)
        .select_related("warehouse")
        .order_by("at", "id")[:MOVE_LIMIT]
    )
    for move in moves:
        outbound[move.lot_id].append(move)
    rows = []
    for item in lots:
        mine = [record for record in records if record.lot_id == item.pk]
        rows.append(
            LotRow(
                lot=item,
                supplier_name=getattr(item, "supplier_name", "") or "",
                receipts=receipts.get(item.pk, []),
                outbound=outbound.get(item.pk, []),
                shipped=sum(record.quantity for record in mine),
                customers=len({record.customer_id for record in mine}),
                orders=list(dict.fromkeys(record.order.number for record in mine)),
                last_sale_date=mine[0].sale_date if mine else None,
            )
        )
    reveal = may_reveal(user)
    return TraceResult(
        kind=TraceKind.SERIAL if serial else TraceKind.LOT,
        value=(serial or lot).strip(),
        lots=rows,
        records=records,
        customers=_customers(records, reveal),
        truncated=truncated,
        revealed=reveal,
    )


def trace_customer(user, customer_id) -> TraceResult | None:
    """TRC-2 from a customer: every lot / serial it received (in the user's scope) with each lot's supply path.
    None when the customer is neither visible to the user nor in a sales record the user sees."""
    from salesservice.customers.models import Customer

    pk = customer_id if isinstance(customer_id, int) else parse_id(str(customer_id))
    if pk is None:
        return None
    customer = Customer.objects.visible_to(user).filter(pk=pk).first()
    records = _records(SalesRecord.objects.visible_to(user).filter(customer_id=pk).select_related("lot__product"))
    if customer is None and not records:
        return None
    if customer is None:
        customer = records[0].customer
    truncated = len(records) > RECORD_LIMIT
    records = records[:RECORD_LIMIT]
    lots: dict[int, LotRow] = {}
    for record in records:
        row = lots.get(record.lot_id)
        if row is None:
            row = lots[record.lot_id] = LotRow(lot=record.lot, last_sale_date=record.sale_date)
        row.shipped += record.quantity
        row.customers = 1
        if record.order.number not in row.orders:
            row.orders.append(record.order.number)
    receipts = _receipts(list(lots)) if lots else {}
    for lot_id, row in lots.items():
        row.receipts = receipts.get(lot_id, [])
    reveal = may_reveal(user)
    return TraceResult(
        kind=TraceKind.CUSTOMER,
        value=str(pk),
        lots=list(lots.values()),
        records=records,
        customers=_customers(records, reveal),
        customer=customer,
        truncated=truncated,
        revealed=reveal,
    )


# --- recall reconciliation --------------------------------------------------------------------


@dataclasses.dataclass
class ReconciliationRow:
    """One affected lot of a recall: shipped (sales records) = recovered + outstanding; in stock beside it."""

    lot: Lot
    shipped: int
    recovered: int
    in_stock: int
    held: bool

    @property
    def outstanding(self) -> int:
        return max(self.shipped - self.recovered, 0)

    @property
    def balanced(self) -> bool:
        return self.shipped == self.recovered + self.outstanding


def reconciliation(campaign) -> list[ReconciliationRow]:
    """TRC-2: per affected lot of `campaign`, what was shipped (every GSP sales record of the lot), what the
    recall recovered, what is still out there, and what is on hand in our warehouses (quarantine included —
    recovered goods received there count too)."""
    from .models import RecallLot, RecallTaskLot

    recall_lots = list(RecallLot.objects.filter(campaign=campaign).select_related("lot__product").order_by("id"))
    ids = [row.lot_id for row in recall_lots]
    shipped = dict(
        SalesRecord.objects.filter(lot_id__in=ids).values_list("lot_id").annotate(total=Sum("quantity")).order_by()
    )
    recovered = dict(
        RecallTaskLot.objects.filter(task__campaign=campaign, lot_id__in=ids)
        .values_list("lot_id")
        .annotate(total=Sum("recovered_quantity"))
        .order_by()
    )
    in_stock = dict(
        StockQuant.objects.filter(lot_id__in=ids).values_list("lot_id").annotate(total=Sum("quantity")).order_by()
    )
    return [
        ReconciliationRow(
            lot=row.lot,
            shipped=shipped.get(row.lot_id) or 0,
            recovered=recovered.get(row.lot_id) or 0,
            in_stock=in_stock.get(row.lot_id) or 0,
            held=row.lot.held,
        )
        for row in recall_lots
    ]


def reconciliation_totals(rows: list[ReconciliationRow]) -> dict[str, int]:
    return {
        "shipped": sum(row.shipped for row in rows),
        "recovered": sum(row.recovered for row in rows),
        "outstanding": sum(row.outstanding for row in rows),
        "in_stock": sum(row.in_stock for row in rows),
    }
