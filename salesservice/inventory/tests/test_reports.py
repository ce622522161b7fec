"""INV-3 stock analysis (`reports.stock_analysis`, page `/inventory/analysis/`, API `/api/v1/stock/analysis/`):
figures on a small known ledger, scope (another unit's warehouse is not counted), a bounded number of
queries, and a bad period refused with a clear Chinese 400."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesservice.core.exceptions import NotFoundError

from .. import reports, services
from ..models import StockMove, StockQuant
from .factories import batch_product, storage_location, warehouse

pytestmark = pytest.mark.django_db


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def put(product, quantity, *, wh, days_ago, lot_number="L1"):
    """`quantity` received, released and put away `days_ago` days ago (the SUP-7 way, back-dated)."""
    lot = services.lot_for(product=product, lot_number=lot_number, expiry_date=timezone.localdate() + dt.timedelta(400))
    at = ago(days_ago)
    services.receive_into_quarantine(actor=None, warehouse=wh, lot=lot, quantity=quantity, reference="T", at=at)
    services.release_inspected(actor=None, warehouse=wh, lot=lot, accepted=quantity, rejected=0, reference="T", at=at)
    services.put_away(actor=None, lot=lot, to_location=storage_location(wh), quantity=quantity, reference="T", at=at)
    return lot


def ship(lot, quantity, *, wh, days_ago):
    """An issue (`ship` move) out of the storage location, written straight to the ledger."""
    location = storage_location(wh)
    StockMove(
        lot=lot,
        product_id=lot.product_id,
        warehouse=wh,
        from_location=location,
        quantity=quantity,
        kind="ship",
        reference_number="SO-TEST",
        at=ago(days_ago),
    ).save(force_insert=True)
    StockQuant.objects.filter(lot=lot, location=location).update(quantity=F("quantity") - quantity)


@pytest.fixture
def ledger(demo):
    """Three products in 徐汇's warehouse, one of them also in 天河's (another unit):

    - P: 100 in 60 days ago, 30 out 20 days ago and 30 out 10 days ago → on hand 40;
    - S: 50 in 200 days ago, never issued → a slow mover;
    - R: 10 in 40 days ago, 8 out 5 days ago → 2 left, cover 7.5 days < lead time 14 → at risk;
    - P in 天河: 500 in 50 days ago, 100 out 3 days ago.
    """
    xh = warehouse("WH-XH", org_unit=demo["sh-xuhui"])
    gz = warehouse("WH-GZ", org_unit=demo["gz-tianhe"])
    p, s, r = batch_product(code="P-TURN"), batch_product(code="S-SLOW"), batch_product(code="R-RISK")
    lot = put(p, 100, wh=xh, days_ago=60)
    ship(lot, 30, wh=xh, days_ago=20)
    ship(lot, 30, wh=xh, days_ago=10)
    put(s, 50, wh=xh, days_ago=200)
    ship(put(r, 10, wh=xh, days_ago=40), 8, wh=xh, days_ago=5)
    ship(put(p, 500, wh=gz, days_ago=50, lot_number="GZ1"), 100, wh=gz, days_ago=3)
    return {"xh": xh, "gz": gz, "p": p, "s": s, "r": r}


def _by_code(rows):
    return {row.product.code: row for row in rows}


def _period():
    today = timezone.localdate()
    return (today - dt.timedelta(days=29)).isoformat(), today.isoformat()


def test_figures_on_a_known_ledger(ledger, users):
    start, end = _period()
    params, rows = reports.stock_analysis(actor=users["xuhui_manager"], start=start, end=end)
    assert params.days == 30 and params.slow_moving_days == 90 and params.lead_time_days == 14
    rows = _by_code(rows)
    p, s, r = rows["P-TURN"], rows["S-SLOW"], rows["R-RISK"]
    # P: opening 100, closing 40, issued 60 → average 70, turnover 0.86; 2 a day → 20 days of cover;
    # target 30 days = 60 → reorder 20; issued 10 days ago → not slow; 20 ≥ 14 → no risk.
    assert (p.on_hand, p.opening, p.closing, p.issued) == (40, 100, 40, 60)
    assert p.turnover == Decimal("0.86") and p.cover == Decimal("20.0")
    assert (p.slow, p.at_risk, p.reorder) == (False, False, 20)
    # S: nothing issued for 200 days → slow, no cover figure, nothing to reorder.
    assert (s.on_hand, s.issued, s.turnover, s.cover) == (50, 0, Decimal("0.00"), None)
    assert (s.slow, s.at_risk, s.reorder, s.flags) == (True, False, 0, ["slow"])
    # R: 2 left, 8 issued in 30 days → 7.5 days of cover < 14 → at risk; reorder to 30 days = 8 − 2 = 6.
    assert (r.on_hand, r.opening, r.closing, r.issued) == (2, 10, 2, 8)
    assert r.cover == Decimal("7.5") and r.turnover == Decimal("1.33")
    assert (r.at_risk, r.reorder, r.flags) == (True, 6, ["risk", "reorder"])


def test_another_units_warehouse_is_not_counted(ledger, users):
    start, end = _period()
    _, scoped = reports.stock_analysis(actor=users["xuhui_manager"], start=start, end=end)
    _, everything = reports.stock_analysis(actor=users["warehouse_clerk"], start=start, end=end)
    assert _by_code(scoped)["P-TURN"].on_hand == 40 and _by_code(scoped)["P-TURN"].issued == 60
    assert _by_code(everything)["P-TURN"].on_hand == 440 and _by_code(everything)["P-TURN"].issued == 160
    _, one = reports.stock_analysis(actor=users["warehouse_clerk"], start=start, end=end, warehouse=ledger["gz"].pk)
    assert [(row.product.code, row.on_hand) for row in one] == [("P-TURN", 400)]
    with pytest.raises(NotFoundError) as refused:
        reports.stock_analysis(actor=users["xuhui_manager"], warehouse=ledger["gz"].pk)
    assert refused.value.code == "inventory.warehouse_not_found"


def test_flags_filter_and_search(ledger, users):
    start, end = _period()

    def codes(**kwargs):
        return [r.product.code for r in reports.stock_analysis(actor=users["xuhui_manager"], start=start, **kwargs)[1]]

    assert codes(flag="slow") == ["S-SLOW"]
    assert codes(flag="risk") == ["R-RISK"]
    assert codes(flag="reorder") == ["P-TURN", "R-RISK"]
    assert codes(q="R-RI") == ["R-RISK"]


def test_query_count_does_not_grow_with_products(ledger, users):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            reports.stock_analysis(actor=users["warehouse_clerk"])
        return len(captured)

    queries()  # policy values are cached after the first read
    few = queries()
    for n in range(6):
        put(batch_product(code=f"MORE-{n}"), 5, wh=ledger["xh"], days_ago=15, lot_number=f"M{n}")
    assert queries() == few <= 8


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-13-01", "", "格式不对"),
        ("2026/01/01", "", "格式不对"),
        ("", "2099-01-01", "不能晚于今天"),
        ("2025-06-01", "2025-05-01", "开始日期不能晚于结束日期"),
        ("2001-01-01", "2025-01-01", "不能超过 3 年"),
        ("0001-01-01", "", "不能超过 3 年"),
    ],
)
def test_a_bad_period_is_a_clear_400(ledger, api_for, web_for, start, end, words):
    params = {k: v for k, v in (("start", start), ("end", end)) if v}
    response = api_for("warehouse_clerk").get("/api/v1/stock/analysis/", params)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "inventory.invalid_period" and words in response.json()["detail"]
    page = web_for("warehouse_clerk").get(reverse("inventory:analysis"), params)
    assert page.status_code == 400 and words in page.content.decode()


def test_api_answers_the_figures_in_scope(ledger, api_for):
    start, end = _period()
    body = api_for("xuhui_manager").get("/api/v1/stock/analysis/", {"start": start, "end": end}).json()
    assert body["days"] == 30 and body["lead_time_days"] == 14 and body["target_cover_days"] == 30
    rows = {row["product_code"]: row for row in body["results"]}
    assert rows["P-TURN"]["on_hand"] == 40 and rows["P-TURN"]["turnover"] == "0.86"
    assert rows["R-RISK"]["at_risk"] is True and rows["R-RISK"]["reorder"] == 6
    assert rows["S-SLOW"]["slow"] is True and rows["S-SLOW"]["cover_days"] is None
    out = api_for("xuhui_manager").get("/api/v1/stock/analysis/", {"warehouse": ledger["gz"].pk})
    assert out.status_code == 404
    assert api_for("xuhui_cs").get("/api/v1/stock/analysis/").status_code == 403


def test_page_shows_the_analysis_and_exports_it(ledger, web_for):
    start, end = _period()
    client = web_for("xuhui_manager")
    url = reverse("inventory:analysis")
    page = client.get(url, {"start": start, "end": end})
    text = page.content.decode()
    assert page.status_code == 200 and "库存分析" in text and "周转次数" in text and "缺货风险" in text
    assert "R-RISK" in text and "呆滞" in text
    assert "P-TURN" in client.get(url, {"sort": "-reorder"}).content.decode()
    export = client.get(url, {"start": start, "end": end, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["商品编码", "商品", "在库"] and "建议补货" in header
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"P-TURN", "S-SLOW", "R-RISK"}
    assert "库存分析" in client.get(reverse("inventory:stock")).content.decode()
    assert web_for("xuhui_cs").get(url).status_code == 403
