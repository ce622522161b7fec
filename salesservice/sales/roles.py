"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

Sales reps and store staff write quotations, contracts and orders for their customers; the store manager
and region manager approve quotation discounts and contracts within their limit, the general manager above
it (SAL-2); contract review is signed off by the departments involved — sales, warehouse, QA, commerce
(SAL-1); the warehouse allocates and ships (SAL-6); payments are recorded by sales and commerce (DEL-5).
"""

from .roles_presales import PRESALES_GRANTS

Q_VIEW = ["sales.view_quotation"]
Q_WRITE = [*Q_VIEW, "sales.add_quotation", "sales.change_quotation"]
C_VIEW = ["sales.view_contract"]
C_WRITE = [*C_VIEW, "sales.add_contract", "sales.change_contract"]
O_VIEW = ["sales.view_salesorder"]
O_WRITE = [*O_VIEW, "sales.add_salesorder", "sales.change_salesorder"]
R_VIEW = ["sales.view_receivable", "sales.view_salesrecord"]
SELLER = [*Q_WRITE, *C_WRITE, *O_WRITE, *R_VIEW, "sales.record_payment"]
ALL_VIEW = [*Q_VIEW, *C_VIEW, *O_VIEW, *R_VIEW]

_BASE = {
    "sales_rep": [*SELLER, "sales.review_contract"],
    "cs_rep": [*Q_WRITE, *O_WRITE, *C_VIEW, *R_VIEW],
    "store_manager": [
        *SELLER,
        "sales.approve_quotation",
        "sales.review_contract",
        "sales.approve_contract",
        "sales.sign_contract",
        "sales.review_salesorder",
    ],
    "region_manager": [
        *SELLER,
        "sales.approve_quotation",
        "sales.review_contract",
        "sales.approve_contract",
        "sales.sign_contract",
        "sales.review_salesorder",
    ],
    "general_manager": [
        *ALL_VIEW,
        "sales.approve_quotation",
        "sales.approve_quotation_top",
        "sales.review_contract",
        "sales.approve_contract",
        "sales.approve_contract_top",
        "sales.sign_contract",
        "sales.review_salesorder",
    ],
    "warehouse_clerk": [
        *O_VIEW,
        *C_VIEW,
        "sales.view_salesrecord",
        "sales.review_contract",
        "sales.allocate_salesorder",
        "sales.ship_salesorder",
    ],
    "qa_inspector": [*ALL_VIEW, "sales.review_contract"],
    "service_manager": [*ALL_VIEW],
    "auditor": [*ALL_VIEW],
    "system_admin": [*ALL_VIEW],
}


def _merge(*grants: dict) -> dict:
    merged: dict[str, list[str]] = {}
    for grant in grants:
        for role, perms in grant.items():
            merged.setdefault(role, [])
            merged[role] += [p for p in perms if p not in merged[role]]
    return merged


ROLE_GRANTS = _merge(_BASE, PRESALES_GRANTS)
