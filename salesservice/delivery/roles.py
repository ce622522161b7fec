"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

The warehouse clerk ships (the sales app grants `sales.ship_salesorder`), prints pick lists and reports
transit incidents (DEL-1, DEL-2); the store's engineers, CS reps, sales reps and managers hand over —
acceptance, training, incidents, release (DEL-3, DEL-4, DEL-6); store, region and service managers approve
concessions (DEL-6); the auditor reads.
"""

VIEW = ["delivery.view_delivery"]
HANDOVER = [
    *VIEW,
    "delivery.accept_delivery",
    "delivery.add_trainingrecord",
    "delivery.add_deliveryincident",
    "delivery.release_delivery",
]
MANAGER = [*HANDOVER, "delivery.approve_concession"]

ROLE_GRANTS = {
    "warehouse_clerk": [*VIEW, "delivery.add_deliveryincident"],
    "engineer": HANDOVER,
    "cs_rep": HANDOVER,
    "sales_rep": HANDOVER,
    "cs_supervisor": HANDOVER,
    "store_manager": MANAGER,
    "region_manager": MANAGER,
    "service_manager": MANAGER,
    "general_manager": [*VIEW, "delivery.approve_concession"],
    "qa_inspector": VIEW,
    "auditor": VIEW,
    "system_admin": VIEW,
}
