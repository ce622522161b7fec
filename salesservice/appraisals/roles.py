"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

Every member of staff reads and self-evaluates their own appraisal (KPI-4). Managers read the appraisals in
their scope, evaluate and finalise them (KPI-4, KPI-5). HR (人力资源) defines the KPIs (KPI-1, KPI-2, KPI-6),
opens and closes cycles (KPI-3), reads every appraisal and finalises.
"""

OWN = ["appraisals.view_own_appraisal", "appraisals.self_evaluate_appraisal", "appraisals.view_kpidefinition"]
MANAGER = [
    *OWN,
    "appraisals.view_appraisal",
    "appraisals.view_appraisalcycle",
    "appraisals.evaluate_appraisal",
    "appraisals.finalise_appraisal",
]
HR = [
    *OWN,
    "appraisals.view_appraisal",
    "appraisals.view_appraisalcycle",
    "appraisals.finalise_appraisal",
    "appraisals.add_kpidefinition",
    "appraisals.change_kpidefinition",
    "appraisals.add_appraisalcycle",
    "appraisals.close_appraisalcycle",
]

ROLE_GRANTS = {
    "cs_rep": OWN,
    "sales_rep": OWN,
    "engineer": OWN,
    "warehouse_clerk": OWN,
    "purchaser": OWN,
    "qa_inspector": OWN,
    "cs_supervisor": MANAGER,
    "store_manager": MANAGER,
    "region_manager": MANAGER,
    "service_manager": MANAGER,
    "purchasing_manager": MANAGER,
    "general_manager": MANAGER,
    "hr_trainer": HR,
    "auditor": [*OWN, "appraisals.view_appraisal", "appraisals.view_appraisalcycle"],
}
