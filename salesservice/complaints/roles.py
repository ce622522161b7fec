"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_COMPLAINTS = ["complaints.view_complaint", "complaints.view_compensationentry", "complaints.view_recovery"]
DESK_COMPLAINTS = [
    *VIEW_COMPLAINTS,
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.pay_compensation",
]
SUPERVISE_COMPLAINTS = [*DESK_COMPLAINTS, "complaints.close_complaint", "complaints.approve_compensation"]
MANAGE_COMPLAINTS = [*SUPERVISE_COMPLAINTS, "complaints.manage_compensation_fund"]

ROLE_GRANTS = {
    "cs_rep": DESK_COMPLAINTS,
    "cs_supervisor": SUPERVISE_COMPLAINTS,
    "store_manager": SUPERVISE_COMPLAINTS,
    "region_manager": SUPERVISE_COMPLAINTS,
    "service_manager": MANAGE_COMPLAINTS,
    "qa_inspector": VIEW_COMPLAINTS,
    "auditor": VIEW_COMPLAINTS,
    "general_manager": ["complaints.view_complaint", "complaints.view_compensationentry"],  # the drill-downs
    "system_admin": MANAGE_COMPLAINTS,
}
