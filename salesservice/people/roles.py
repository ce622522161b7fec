"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

PPL-4: HR trainers manage courses and record practical scores; engineers take exams and see their own
attempts (`people.take_exam`, no `view_examattempt`); managers and auditors read everything in scope.
"""

VIEW_CERTIFICATIONS = ["people.view_certification"]
MANAGE_CERTIFICATIONS = ["people.view_certification", "people.add_certification", "people.change_certification"]
VIEW_TRAINING = ["people.view_course", "people.view_examattempt"]
MANAGE_TRAINING = [*VIEW_TRAINING, "people.add_course", "people.change_course", "people.grade_examattempt"]
TAKE_EXAMS = ["people.view_course", "people.take_exam"]
# PPL-1/2/3/5/6: HR writes posts, candidates, needs, plans, sessions, attendance, effect, talks; managers read
# and hold development talks with their staff.
VIEW_HR = [
    "people.view_post",
    "people.view_candidate",
    "people.view_trainingneed",
    "people.view_trainingplan",
    "people.view_careerstep",
    "people.view_developmenttalk",
]
MANAGE_HR = [
    *VIEW_HR,
    "people.add_post",
    "people.change_post",
    "people.add_candidate",
    "people.change_candidate",
    "people.decide_candidate",
    "people.reveal_candidate",
    "people.add_trainingneed",
    "people.change_trainingneed",
    "people.add_trainingplan",
    "people.change_trainingplan",
    "people.approve_trainingplan",
    "people.add_developmenttalk",
]
MANAGER_HR = [*VIEW_HR, "people.add_developmenttalk", "people.add_trainingneed"]

ROLE_GRANTS = {
    "cs_rep": VIEW_CERTIFICATIONS,
    "engineer": [*VIEW_CERTIFICATIONS, *TAKE_EXAMS],
    "cs_supervisor": VIEW_CERTIFICATIONS,
    "store_manager": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING, *MANAGER_HR],
    "region_manager": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING, *MANAGER_HR],
    "service_manager": [*MANAGE_CERTIFICATIONS, *VIEW_TRAINING, *MANAGER_HR],
    "hr_trainer": [*MANAGE_CERTIFICATIONS, *MANAGE_TRAINING, *MANAGE_HR],
    "auditor": [*VIEW_CERTIFICATIONS, *VIEW_TRAINING, *VIEW_HR],
    "system_admin": [*MANAGE_CERTIFICATIONS, *MANAGE_TRAINING, *MANAGE_HR],
}
