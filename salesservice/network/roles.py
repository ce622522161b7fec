"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_NETWORK = ["network.view_serviceprovider", "network.view_providertechnician"]
REPORTS = ["network.view_providerreport"]
# NET-4: the provider's dispatcher is its manager/trainer — registers its technicians, records their training.
TRAINING = [
    "network.view_providertechnician",
    "network.add_providertechnician",
    "network.record_technician_training",
]
# NET-5: a region manager evaluates the providers of the region; the HQ network manager approves.
EVALUATE = ["network.view_providerevaluation", "network.add_providerevaluation", "network.change_providerevaluation"]
MANAGE_NETWORK = [
    *REPORTS,
    *TRAINING,
    *EVALUATE,
    "network.add_providerreport",
    "network.view_serviceprovider",
    "network.add_serviceprovider",
    "network.change_serviceprovider",
    "network.change_provider_status",
    "network.change_providertechnician",
    "network.approve_providerevaluation",
]

ROLE_GRANTS = {
    "cs_rep": VIEW_NETWORK,
    "engineer": VIEW_NETWORK,
    "cs_supervisor": [*VIEW_NETWORK, *REPORTS],
    "store_manager": [*VIEW_NETWORK, *REPORTS],
    "region_manager": [*VIEW_NETWORK, *REPORTS, *EVALUATE],
    "service_manager": MANAGE_NETWORK,
    "auditor": [*VIEW_NETWORK, *REPORTS, "network.view_providerevaluation"],
    "system_admin": MANAGE_NETWORK,
    "provider_dispatcher": TRAINING,
}
