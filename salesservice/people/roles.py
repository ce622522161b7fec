"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

PPL-4: HR trainers manage courses and record practical scores; engineers take exams and see their own
attempts (`people.take_exam`, no `view_examattempt`); managers and auditors read everything in scope.
"""

VIEW_CERTIFICATIONS = ["people.view_certification"]
MANAGE_CERTIFICATIONS = ["people.view_certification", "people.add_certification", "people.change_certification"]
VIEW_TRAINING = ["people.view_course", "people.view_examattempt"]
MANAGE_TRAINING = [*VIEW_TRAINING, "people.add_course", "people.change_course", "people.grade_examattempt"]
TAKE_EXAMS = ["people.view_course", "people.take_exam"]

ROLE_GRANTS = {
    "cs_rep": VIEW_CERTIFICATIONS,
    "engineer": [*VIEW_CERTIFICATIONS, *TAKE_EXAMS],
    "cs_supervisor": VIEW_CERTIFICATIONS,
    "store_manager": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING],
    "region_manager": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING],
    "service_manager": [*MANAGE_CERTIFICATIONS, *VIEW_TRAINING],
    "hr_trainer": [*MANAGE_CERTIFICATIONS, *MANAGE_TRAINING],
    "auditor": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING],
    "system_admin": [*MANAGE_CERTIFICATIONS, *MANAGE_TRAINING],
}
