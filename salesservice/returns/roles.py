"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_RETURNS = ["returns.view_returnrequest"]
HANDLE_RETURNS = ["returns.view_returnrequest", "returns.change_returnrequest"]
DESK_RETURNS = [*HANDLE_RETURNS, "returns.add_returnrequest", "returns.settle_returnrequest"]
APPROVE_RETURNS = [*DESK_RETURNS, "returns.approve_returnrequest"]

ROLE_GRANTS = {
    "cs_rep": DESK_RETURNS,
    "cs_supervisor": APPROVE_RETURNS,
    "store_manager": APPROVE_RETURNS,
    "region_manager": APPROVE_RETURNS,
    "service_manager": APPROVE_RETURNS,
    "warehouse_clerk": HANDLE_RETURNS,
    "qa_inspector": HANDLE_RETURNS,
    "auditor": VIEW_RETURNS,
    "general_manager": VIEW_RETURNS,  # the dashboards' drill-downs
    "system_admin": APPROVE_RETURNS,
}
