"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`)."""

VIEW_FEEDBACK = [
    "feedback.view_followup",
    "feedback.view_surveyresponse",
    "feedback.view_surveytemplate",
    "feedback.view_suggestion",
]
DESK_FEEDBACK = [*VIEW_FEEDBACK, "feedback.add_followup", "feedback.change_followup", "feedback.change_suggestion"]
MANAGE_FEEDBACK = [*DESK_FEEDBACK, "feedback.add_surveytemplate", "feedback.change_surveytemplate"]

ROLE_GRANTS = {
    "cs_rep": DESK_FEEDBACK,
    "cs_supervisor": DESK_FEEDBACK,
    "store_manager": DESK_FEEDBACK,
    "region_manager": DESK_FEEDBACK,
    "service_manager": MANAGE_FEEDBACK,
    "qa_inspector": VIEW_FEEDBACK,
    "auditor": VIEW_FEEDBACK,
    "general_manager": ["feedback.view_followup", "feedback.view_surveyresponse"],  # coverage, dashboard pages
    "system_admin": MANAGE_FEEDBACK,
}
