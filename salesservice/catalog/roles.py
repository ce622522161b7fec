"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_CATALOG = ["catalog.view_product", "catalog.view_productcategory", "catalog.view_inspectiontemplate"]
EDIT_CATALOG = [
    *VIEW_CATALOG,
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_productcategory",
    "catalog.change_productcategory",
    "catalog.add_inspectiontemplate",
    "catalog.change_inspectiontemplate",
]
QA_CATALOG = [*EDIT_CATALOG, "catalog.set_product_restriction"]

ROLE_GRANTS = {
    "cs_rep": VIEW_CATALOG,
    "sales_rep": VIEW_CATALOG,
    "engineer": VIEW_CATALOG,
    "cs_supervisor": VIEW_CATALOG,
    "store_manager": VIEW_CATALOG,
    "region_manager": VIEW_CATALOG,
    "service_manager": VIEW_CATALOG,
    "warehouse_clerk": VIEW_CATALOG,
    "qa_inspector": QA_CATALOG,
    "purchaser": EDIT_CATALOG,
    "hr_trainer": VIEW_CATALOG,
    "auditor": VIEW_CATALOG,
    "system_admin": QA_CATALOG,
}
