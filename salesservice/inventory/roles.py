"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

The warehouse clerk 仓管 receives, puts away, issues, counts (INV-2) and records storage readings (INV-1); QA
质量部 releases inspected stock (SUP-7), holds lots and records readings; the general manager (and the system
admin) approve count variances — never the counter. Sales and purchasing see stock; store and region managers
see their own units' warehouses only (scoping).
"""

VIEW_STOCK = [
    "inventory.view_warehouse",
    "inventory.view_location",
    "inventory.view_lot",
    "inventory.view_stockquant",
    "inventory.view_stockmove",
    "inventory.view_allocation",
    "inventory.view_stockcount",
    "inventory.view_storagereading",
]
CLERK = [
    *VIEW_STOCK,
    "inventory.move_stock",
    "inventory.release_stock",  # seed 000 驗收流程: the warehouse staff accept goods batch by batch
    "inventory.add_allocation",
    "inventory.add_stockcount",
    "inventory.change_stockcount",
    "inventory.add_storagereading",
]
QUALITY = [*VIEW_STOCK, "inventory.release_stock", "inventory.hold_lot", "inventory.add_storagereading"]
MANAGER = [
    *CLERK,
    "inventory.approve_stockcount",
    "inventory.hold_lot",
    "inventory.add_warehouse",
    "inventory.change_warehouse",
    "inventory.add_location",
]

ROLE_GRANTS = {
    "warehouse_clerk": CLERK,
    "qa_inspector": QUALITY,
    "general_manager": MANAGER,
    "system_admin": MANAGER,
    "purchaser": VIEW_STOCK,
    "purchasing_manager": VIEW_STOCK,
    "sales_rep": [*VIEW_STOCK, "inventory.add_allocation"],
    "store_manager": VIEW_STOCK,
    "region_manager": VIEW_STOCK,
    "service_manager": VIEW_STOCK,
    "auditor": VIEW_STOCK,
}
