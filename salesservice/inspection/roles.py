"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

ROLE_GRANTS = {
    "cs_rep": [
        "inspection.view_nonconformance",
    ],
    "cs_supervisor": [
        "inspection.view_nonconformance",
    ],
    "store_manager": [
        "inspection.view_nonconformance",
    ],
    "region_manager": [
        "inspection.view_nonconformance",
    ],
    "service_manager": [
        "inspection.view_nonconformance",
    ],
    "qa_inspector": [
        "inspection.view_nonconformance",
        "inspection.add_nonconformance",
        "inspection.change_nonconformance",
    ],
    "auditor": [
        "inspection.view_nonconformance",
    ],
    "system_admin": [
        "inspection.view_nonconformance",
        "inspection.add_nonconformance",
        "inspection.change_nonconformance",
    ],
}
