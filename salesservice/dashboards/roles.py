"""Who reads the compliance report (issue 16 §4): the general manager and the auditor company-wide, managers for
their own scope (the report counts only the unit asked for, which must be in the reader's scope)."""

REPORT = ["dashboards.view_compliance_report", "dashboards.view_compliancesnapshot"]

ROLE_GRANTS = {
    "general_manager": REPORT,
    "auditor": REPORT,
    "service_manager": REPORT,
    "region_manager": REPORT,
    "store_manager": REPORT,
    "qa_inspector": REPORT,
}
