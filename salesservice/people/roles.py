"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

ROLE_GRANTS = {
    "cs_rep": [
        "people.view_certification",
    ],
    "engineer": [
        "people.view_certification",
    ],
    "cs_supervisor": [
        "people.view_certification",
    ],
    "store_manager": [
        "people.view_certification",
    ],
    "region_manager": [
        "people.view_certification",
    ],
    "service_manager": [
        "people.view_certification",
        "people.add_certification",
        "people.change_certification",
    ],
    "hr_trainer": [
        "people.view_certification",
        "people.add_certification",
        "people.change_certification",
    ],
    "auditor": [
        "people.view_certification",
    ],
    "system_admin": [
        "people.view_certification",
        "people.add_certification",
        "people.change_certification",
    ],
}
