"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

LOOK_UP_CUSTOMERS = ["customers.view_customer"]
VIEW_CUSTOMERS = [
    "customers.view_customer",
    "customers.view_qualification",
    "customers.view_customerproperty",
    "customers.view_consent",
]
VISIT_CUSTOMERS = [
    *VIEW_CUSTOMERS,
    "customers.reveal_customer_contact",
    "customers.add_customerproperty",
    "customers.change_customerproperty",
    "customers.report_property_incident",
]
SERVE_CUSTOMERS = [
    *VISIT_CUSTOMERS,
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_qualification",
    "customers.add_consent",
    "customers.change_consent",
]
SELL_TO_CUSTOMERS = [*SERVE_CUSTOMERS, "customers.change_qualification"]
MANAGE_CUSTOMERS = [*SELL_TO_CUSTOMERS, "customers.export_customer_data"]
PRIVACY_OFFICER = [*MANAGE_CUSTOMERS, "customers.anonymise_customer"]

ROLE_GRANTS = {
    "cs_rep": SERVE_CUSTOMERS,
    "sales_rep": SELL_TO_CUSTOMERS,
    "engineer": VISIT_CUSTOMERS,
    "cs_supervisor": MANAGE_CUSTOMERS,
    "store_manager": MANAGE_CUSTOMERS,
    "region_manager": MANAGE_CUSTOMERS,
    "service_manager": PRIVACY_OFFICER,
    "warehouse_clerk": LOOK_UP_CUSTOMERS,
    "qa_inspector": LOOK_UP_CUSTOMERS,
    "auditor": VIEW_CUSTOMERS,
    "system_admin": PRIVACY_OFFICER,
}
