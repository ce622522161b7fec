"""TRC-2 trace: from a lot or serial to every customer who received it and back to the supplier; from a customer
to every lot — in the caller's scope, in a fixed number of queries (selectors and `GET /api/v1/trace/`)."""

import pytest

from salesservice.purchasing.tests.factories import approved_order, inspect, make_receipt

from .. import selectors
from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/trace/"


def test_lot_traces_to_its_three_customers_with_orders_contracts_and_shipments(demo):
    """TRC-2: lot → every customer (order, contract, shipping note, sale date, quantity, contact)."""
    lot, buyers = f.lot_to_three_customers((10, 20, 5))
    result = selectors.trace_lots(f.user("qa_inspector"), lot=lot.lot_number)
    assert {row.customer_id for row in result.customers} == {b.pk for b in buyers}
    assert result.shipped == 35
    assert [row.quantity for row in result.customers] == [20, 10, 5]  # most first
    record = result.records[0]
    assert record.order.number.startswith("SO-T-") and record.order.contract.number.startswith("HT-T-")
    assert record.shipment_number.startswith("FH-T-")
    assert result.lots[0].customers == 3 and result.lots[0].shipped == 35


def test_serial_traces_to_the_one_customer(demo):
    """TRC-2: a serial number → the one customer who received that unit."""
    product = f.serial_device()
    from salesservice.inventory.services import lot_for

    unit_lot = lot_for(product=product, lot_number="", serial_number="SN-TRC-0001")
    buyer = f.customer()
    f.sell(unit_lot, buyer, 1)
    result = selectors.trace_lots(f.user("qa_inspector"), serial="SN-TRC-0001")
    assert [row.customer_id for row in result.customers] == [buyer.pk]
    assert result.kind == "serial"


def test_customer_traces_to_every_lot_it_received(demo):
    """TRC-2: customer → every lot it received."""
    first = f.stocked_lot(f.device(), lot_number="TRC-A")
    second = f.stocked_lot(f.device(), lot_number="TRC-B")
    buyer = f.customer()
    f.sell(first, buyer, 3)
    f.sell(second, buyer, 4)
    f.sell(second, f.customer(), 9)  # another customer's sale is not this customer's
    result = selectors.trace_customer(f.user("qa_inspector"), buyer.pk)
    assert {row.lot.lot_number: row.shipped for row in result.lots} == {"TRC-A": 3, "TRC-B": 4}
    assert result.customer == buyer


def test_backward_path_reaches_the_receipt_purchase_order_and_supplier(demo):
    """TRC-2: … → receipt (入库验收) → purchase order → supplier."""
    from salesservice.purchasing.tests.factories import batch_product

    product = batch_product(device_class="II", registration_no="沪械注准20232140001")
    order = approved_order(products=[product], quantity=10)
    receipt = make_receipt(order)
    inspect(receipt)
    lot = receipt.lines.get().lots.get().lot
    f.sell(lot, f.customer(), 2)
    result = selectors.trace_lots(f.user("qa_inspector"), lot=lot.lot_number)
    row = result.lots[0]
    assert row.receipts[0].line.receipt == receipt
    assert row.receipts[0].line.receipt.order == order
    assert row.suppliers == [order.supplier.name]


def test_store_user_sees_only_its_stores_sales(demo):
    """Scope: a store user traces its own store's customers; another store's lot is not found (404)."""
    lot = f.stocked_lot(f.device(), lot_number="TRC-S")
    mine, theirs = f.customer("sh-xuhui"), f.customer("gz-tianhe")
    f.sell(lot, mine, 2)
    f.sell(lot, theirs, 3)
    other = f.stocked_lot(f.device(), lot_number="TRC-O")
    f.sell(other, f.customer("gz-tianhe"), 1)
    result = selectors.trace_lots(f.user("xuhui_cs"), lot="TRC-S")
    assert [row.customer_id for row in result.customers] == [mine.pk]
    assert selectors.trace_lots(f.user("xuhui_cs"), lot="TRC-O") is None
    assert selectors.trace_customer(f.user("xuhui_cs"), theirs.pk) is None


def test_trace_api_by_lot_serial_and_customer(demo, api_for):
    """TRC-2 API: `?lot=` (number or id), `?customer=`; phones masked (a list, DESIGN §7)."""
    lot, buyers = f.lot_to_three_customers()
    client = api_for("xuhui_cs")
    body = client.get(URL, {"lot": lot.lot_number}).json()
    assert len(body["customers"]) == 3 and body["shipped"] == 35
    assert body["records"][0]["phone"] == "138****5678"
    assert body["records"][0]["contract_number"].startswith("HT-T-")
    assert client.get(URL, {"lot": str(lot.pk)}).json()["lots"][0]["id"] == lot.pk
    body = client.get(URL, {"customer": buyers[0].pk}).json()
    assert [row["lot_number"] for row in body["lots"]] == [lot.lot_number]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "trace.query_required"),
        ({"lot": "X", "customer": "1"}, 400, "trace.query_ambiguous"),
        ({"customer": "abc"}, 400, "trace.query_invalid"),
        ({"lot": "NO-SUCH-LOT"}, 404, "trace.lot_not_found"),
        ({"customer": "999999"}, 404, "trace.customer_not_found"),
    ],
)
def test_trace_api_refuses_bad_queries_with_a_code(demo, api_for, params, status, code):
    response = api_for("qa_inspector").get(URL, params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_trace_api_needs_the_sales_record_permission(demo, api_for):
    assert api_for("hr_trainer").get(URL, {"lot": "X"}).status_code == 403
    assert api_for(None).get(URL, {"lot": "X"}).status_code in (401, 403)


def test_trace_takes_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    """No N+1: 4 queries for a lot however many customers, 3 for a customer however many lots (+ scope)."""
    lot, _buyers = f.lot_to_three_customers()
    for n in range(5):
        f.sell(lot, f.customer(), 1 + n)
    qa = f.user("qa_inspector")
    qa.has_perm("x")  # permissions cached before counting
    selectors.trace_lots(qa, lot=lot.lot_number)  # the first call fills this process's configuration cache (scope)
    with django_assert_max_num_queries(5):
        result = selectors.trace_lots(qa, lot=lot.lot_number)
    assert len(result.customers) == 8
    buyer = result.customers[0].customer_id
    with django_assert_max_num_queries(4):
        selectors.trace_customer(qa, buyer)


def test_trace_page_shows_customers_and_exports(demo, web_for):
    """The page: search a lot, see the three customers in phone-friendly tables; Excel export."""
    lot, buyers = f.lot_to_three_customers()
    client = web_for("qa_inspector")
    page = client.get("/trace/", {"kind": "lot", "q": lot.lot_number})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="trace-customer-row"') == 3
    assert "table-mobile-cards" in html and 'data-label="客户"' in html
    assert all(b.name in html for b in buyers)
    export = client.get("/trace/", {"kind": "lot", "q": lot.lot_number, "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    by_name = client.get("/trace/", {"kind": "customer", "q": buyers[0].name})
    assert lot.lot_number in by_name.content.decode()


def test_trace_page_out_of_scope_lot_shows_nothing(demo, web_for):
    lot = f.stocked_lot(f.device(), lot_number="TRC-GZ")
    f.sell(lot, f.customer("gz-tianhe"), 1)
    html = web_for("xuhui_cs").get("/trace/", {"kind": "lot", "q": "TRC-GZ"}).content.decode()
    assert 'id="trace-empty"' in html and "trace-customer-row" not in html
