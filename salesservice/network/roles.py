"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_NETWORK = ["network.view_serviceprovider"]
REPORTS = ["network.view_providerreport"]
MANAGE_NETWORK = [
    *REPORTS,
    "network.add_providerreport",
    "network.view_serviceprovider",
    "network.add_serviceprovider",
    "network.change_serviceprovider",
    "network.change_provider_status",
]

ROLE_GRANTS = {
    "cs_rep": VIEW_NETWORK,
    "engineer": VIEW_NETWORK,
    "cs_supervisor": [*VIEW_NETWORK, *REPORTS],
    "store_manager": [*VIEW_NETWORK, *REPORTS],
    "region_manager": [*VIEW_NETWORK, *REPORTS],
    "service_manager": MANAGE_NETWORK,
    "auditor": [*VIEW_NETWORK, *REPORTS],
    "system_admin": MANAGE_NETWORK,
}
