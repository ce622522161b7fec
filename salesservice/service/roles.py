"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_SERVICE = ["service.view_servicerequest", "service.view_knowledgearticle"]
PROVIDER_WORK_ORDERS = ["service.view_servicerequest", "service.change_servicerequest", "service.add_workrecord"]
WORK_SERVICE = [*PROVIDER_WORK_ORDERS, "service.view_knowledgearticle"]
DESK_SERVICE = [*WORK_SERVICE, "service.add_servicerequest", "service.dispatch_servicerequest"]
SUPERVISE_SERVICE = [
    *DESK_SERVICE,
    "service.close_servicerequest",
    "service.add_knowledgearticle",
    "service.change_knowledgearticle",
    "service.publish_knowledgearticle",
]

ROLE_GRANTS = {
    "cs_rep": DESK_SERVICE,
    "engineer": WORK_SERVICE,
    "cs_supervisor": SUPERVISE_SERVICE,
    "store_manager": SUPERVISE_SERVICE,
    "region_manager": SUPERVISE_SERVICE,
    "service_manager": SUPERVISE_SERVICE,
    "auditor": VIEW_SERVICE,
    "general_manager": VIEW_SERVICE,  # follows the dashboards' drill-downs to the lists
    "provider_dispatcher": PROVIDER_WORK_ORDERS,
    "system_admin": SUPERVISE_SERVICE,
}
