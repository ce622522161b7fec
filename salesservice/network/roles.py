"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

ROLE_GRANTS = {
    "cs_rep": [
        "network.view_serviceprovider",
    ],
    "engineer": [
        "network.view_serviceprovider",
    ],
    "cs_supervisor": [
        "network.view_serviceprovider",
    ],
    "store_manager": [
        "network.view_serviceprovider",
    ],
    "region_manager": [
        "network.view_serviceprovider",
    ],
    "service_manager": [
        "network.view_serviceprovider",
        "network.add_serviceprovider",
        "network.change_serviceprovider",
        "network.change_provider_status",
    ],
    "auditor": [
        "network.view_serviceprovider",
    ],
    "system_admin": [
        "network.view_serviceprovider",
        "network.add_serviceprovider",
        "network.change_serviceprovider",
        "network.change_provider_status",
    ],
}
