"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

Purchasing keeps the dossiers and compiles the qualified list; the purchasing manager approves the list and
suspends suppliers (SUP-2); QA takes part in the evaluation (SUP-1); the warehouse, the general manager and
the auditor read.
"""

VIEW = [
    "suppliers.view_supplier",
    "suppliers.view_supplierdocument",
    "suppliers.view_evaluation",
    "suppliers.view_qualifiedlist",
]
EVALUATE = [*VIEW, "suppliers.add_evaluation"]
PURCHASING = [
    *EVALUATE,
    "suppliers.add_supplier",
    "suppliers.change_supplier",
    "suppliers.add_supplierdocument",
    "suppliers.change_supplierdocument",
    "suppliers.add_qualifiedlist",
    "suppliers.change_qualifiedlist",
]
PURCHASING_MANAGER = [*PURCHASING, "suppliers.approve_qualifiedlist", "suppliers.suspend_supplier"]

ROLE_GRANTS = {
    "purchaser": PURCHASING,
    "purchasing_manager": PURCHASING_MANAGER,
    "qa_inspector": EVALUATE,
    "warehouse_clerk": ["suppliers.view_supplier"],
    "general_manager": VIEW,
    "auditor": VIEW,
    "system_admin": PURCHASING_MANAGER,
}
