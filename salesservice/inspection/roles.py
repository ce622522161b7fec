"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_NONCONFORMANCES = ["inspection.view_nonconformance"]
QUALITY_LOOP = ["inspection.view_nonconformance", "inspection.add_nonconformance", "inspection.change_nonconformance"]

ROLE_GRANTS = {
    "cs_rep": VIEW_NONCONFORMANCES,
    "cs_supervisor": VIEW_NONCONFORMANCES,
    "store_manager": VIEW_NONCONFORMANCES,
    "region_manager": VIEW_NONCONFORMANCES,
    "service_manager": VIEW_NONCONFORMANCES,
    "qa_inspector": QUALITY_LOOP,
    "auditor": VIEW_NONCONFORMANCES,
    "system_admin": QUALITY_LOOP,
}
