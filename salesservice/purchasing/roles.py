"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

Purchasers write requisitions and orders; the purchasing manager (up to the policy limit) and the general
manager (above it) approve orders (SUP-4); the warehouse clerk receives and puts away; QA inspects (SUP-6,
SUP-7). Stores may ask for goods through a requisition and see their own.
"""

REQ_VIEW = ["purchasing.view_purchaserequisition"]
REQ_WRITE = [*REQ_VIEW, "purchasing.add_purchaserequisition", "purchasing.change_purchaserequisition"]
ORDER_VIEW = ["purchasing.view_purchaseorder"]
ORDER_WRITE = [*ORDER_VIEW, "purchasing.add_purchaseorder", "purchasing.change_purchaseorder"]
RECEIPT_VIEW = ["purchasing.view_receipt"]

ROLE_GRANTS = {
    "purchaser": [*REQ_WRITE, *ORDER_WRITE, *RECEIPT_VIEW],
    "purchasing_manager": [
        *REQ_WRITE,
        *ORDER_WRITE,
        *RECEIPT_VIEW,
        "purchasing.approve_purchaserequisition",
        "purchasing.approve_purchaseorder",
    ],
    "general_manager": [*REQ_VIEW, *ORDER_VIEW, *RECEIPT_VIEW, "purchasing.approve_purchaseorder"],
    "warehouse_clerk": [
        *REQ_WRITE,
        *ORDER_VIEW,
        *RECEIPT_VIEW,
        "purchasing.add_receipt",
        "purchasing.put_away_receipt",
    ],
    "qa_inspector": [*ORDER_VIEW, *RECEIPT_VIEW, "purchasing.inspect_receipt"],
    "store_manager": REQ_WRITE,
    "auditor": [*REQ_VIEW, *ORDER_VIEW, *RECEIPT_VIEW],
    "system_admin": [*REQ_VIEW, *ORDER_VIEW, *RECEIPT_VIEW],
}
