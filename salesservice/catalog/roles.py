"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

ROLE_GRANTS = {
    "cs_rep": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "sales_rep": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "engineer": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "cs_supervisor": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "store_manager": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "region_manager": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "service_manager": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "warehouse_clerk": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "qa_inspector": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_productcategory",
        "catalog.change_productcategory",
        "catalog.add_inspectiontemplate",
        "catalog.change_inspectiontemplate",
        "catalog.set_product_restriction",
    ],
    "purchaser": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_productcategory",
        "catalog.change_productcategory",
        "catalog.add_inspectiontemplate",
        "catalog.change_inspectiontemplate",
    ],
    "hr_trainer": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "auditor": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
    ],
    "system_admin": [
        "catalog.view_product",
        "catalog.view_productcategory",
        "catalog.view_inspectiontemplate",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.add_productcategory",
        "catalog.change_productcategory",
        "catalog.add_inspectiontemplate",
        "catalog.change_inspectiontemplate",
        "catalog.set_product_restriction",
    ],
}
