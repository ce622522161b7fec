"""Who reads the compliance report (issue 16 §4): the general manager and the auditor company-wide, managers for
their own scope (the report counts only the unit asked for, which must be in the reader's scope).

Who reads the management dashboards (issue 16 §1): the same managers, plus the purchasing manager and the HR
trainer (the supply and people areas) — each for the units of their own scope."""

REPORT = ["dashboards.view_compliance_report", "dashboards.view_compliancesnapshot"]
DASHBOARDS = ["dashboards.view_dashboards"]

ROLE_GRANTS = {
    "general_manager": REPORT + DASHBOARDS,
    "auditor": REPORT + DASHBOARDS,
    "service_manager": REPORT + DASHBOARDS,
    "region_manager": REPORT + DASHBOARDS,
    "store_manager": REPORT + DASHBOARDS,
    "qa_inspector": REPORT + DASHBOARDS,
    "purchasing_manager": DASHBOARDS,
    "hr_trainer": DASHBOARDS,
}
