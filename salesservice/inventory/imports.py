"""Excel import of opening stock 期初库存导入 (issue 13), on core's import framework.

One row = one lot at one storage location: warehouse code, location code, product code, lot number, serial
number, production / expiry dates, quantity. Each row runs in its own transaction: `lot_for` (the product's
tracking mode decides what is required, PRD-3), then `opening.opening_stock_receive` — an `adjust` move into
the storage location signed by the importing user (TRC-3). A refused row is reported with its reason and
writes nothing (not even the lot). Natural key: lot + location — a row already imported is `unchanged`, so
importing the same file twice does not double the stock.
"""

from django.utils.translation import gettext as _

from salesservice.catalog.models import Product
from salesservice.core.imports import ImportColumn, ImportSpec, RowError

from . import opening, services
from .models import Location, Warehouse


def opening_stock_import_spec() -> ImportSpec:
    return ImportSpec(
        name="期初库存导入",
        columns=[
            ImportColumn("仓库编码", "warehouse", required=True, example="WH-SH"),
            ImportColumn("库位编码", "location", required=True, example="A-01", help=_("须为该仓库的储位")),
            ImportColumn("商品编码", "product", required=True, example="P-0001"),
            ImportColumn("批号", "lot_number", example="20260301", help=_("按批号追踪的商品必填")),
            ImportColumn("序列号", "serial_number", help=_("按序列号追踪的商品必填，数量须为 1")),
            ImportColumn("生产日期", "production_date", kind="date", example="2026-03-01"),
            ImportColumn("有效期至", "expiry_date", kind="date", example="2028-02-28", help=_("管理有效期的商品必填")),
            ImportColumn("数量", "quantity", required=True, kind="int", example="100"),
            ImportColumn("备注", "note"),
        ],
        save_row=save_opening_row,
        notes=[
            _("每行一个批次在一个储位的期初数量，记为“期初库存”调整流水，由导入人签名。"),
            _("同一批次在同一储位已导入过期初库存的行不会重复入账（结果为“未变化”）。"),
            _("仓库须在您的管辖范围内；待验区、合格待上架区、不合格品区不能导入期初库存。"),
        ],
    )


def save_opening_row(actor, values: dict) -> str:
    code = values["warehouse"].strip()
    warehouses = Warehouse.objects.visible_to(actor) if actor is not None else Warehouse.objects.all()
    warehouse = warehouses.filter(code=code).first()
    if warehouse is None:
        raise RowError(_("仓库“%(code)s”不存在或不在您的管辖范围内") % {"code": code})
    location = Location.objects.filter(warehouse=warehouse, code=values["location"].strip()).first()
    if location is None:
        raise RowError(_("仓库 %(wh)s 没有库位“%(code)s”") % {"wh": warehouse.code, "code": values["location"].strip()})
    product = Product.objects.filter(code=values["product"].strip()).first()
    if product is None:
        raise RowError(_("商品编码“%(code)s”不存在") % {"code": values["product"].strip()})
    lot = services.lot_for(
        product=product,
        lot_number=values.get("lot_number") or "",
        serial_number=values.get("serial_number") or "",
        production_date=values.get("production_date"),
        expiry_date=values.get("expiry_date"),
    )
    if opening.opening_recorded(lot, location):
        return "unchanged"
    opening.opening_stock_receive(
        actor=actor,
        warehouse=warehouse,
        location=location,
        lot=lot,
        quantity=values["quantity"],
        note=values.get("note") or "",
    )
    return "created"
