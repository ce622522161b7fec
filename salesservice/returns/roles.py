"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

ROLE_GRANTS = {
    "cs_rep": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
    ],
    "cs_supervisor": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
        "returns.approve_returnrequest",
    ],
    "store_manager": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
        "returns.approve_returnrequest",
    ],
    "region_manager": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
        "returns.approve_returnrequest",
    ],
    "service_manager": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
        "returns.approve_returnrequest",
    ],
    "warehouse_clerk": [
        "returns.view_returnrequest",
        "returns.change_returnrequest",
    ],
    "qa_inspector": [
        "returns.view_returnrequest",
        "returns.change_returnrequest",
    ],
    "auditor": [
        "returns.view_returnrequest",
    ],
    "system_admin": [
        "returns.view_returnrequest",
        "returns.add_returnrequest",
        "returns.change_returnrequest",
        "returns.settle_returnrequest",
        "returns.approve_returnrequest",
    ],
}
