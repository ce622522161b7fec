"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_CERTIFICATIONS = ["people.view_certification"]
MANAGE_CERTIFICATIONS = ["people.view_certification", "people.add_certification", "people.change_certification"]

ROLE_GRANTS = {
    "cs_rep": VIEW_CERTIFICATIONS,
    "engineer": VIEW_CERTIFICATIONS,
    "cs_supervisor": VIEW_CERTIFICATIONS,
    "store_manager": VIEW_CERTIFICATIONS,
    "region_manager": VIEW_CERTIFICATIONS,
    "service_manager": MANAGE_CERTIFICATIONS,
    "hr_trainer": MANAGE_CERTIFICATIONS,
    "auditor": VIEW_CERTIFICATIONS,
    "system_admin": MANAGE_CERTIFICATIONS,
}
