"""Who reads and who may generate the scheduled reports (issue 16 §2; docs/reports.md).

Each kind is read by the roles that receive it (kinds.py) plus the auditor; what a reader sees is further limited
to the org units of their scope (`ReportRun.objects.visible_to`). 「立即生成」 is for the system admin and the
managers who receive reports, for units in their scope."""

WEEKLY = "reports.view_weekly_service"
KPI = "reports.view_monthly_kpi"
MANAGEMENT = "reports.view_monthly_management"
GENERATE = "reports.generate_report"
RUN = "reports.view_reportrun"

ROLE_GRANTS = {
    "general_manager": [RUN, WEEKLY, KPI, MANAGEMENT, GENERATE],
    "service_manager": [RUN, WEEKLY, GENERATE],
    "region_manager": [RUN, WEEKLY, KPI, MANAGEMENT, GENERATE],
    "store_manager": [RUN, WEEKLY, KPI, GENERATE],
    "cs_supervisor": [RUN, WEEKLY],
    "hr_trainer": [RUN, KPI, GENERATE],
    "auditor": [RUN, WEEKLY, KPI, MANAGEMENT],
    "system_admin": [RUN, WEEKLY, KPI, MANAGEMENT, GENERATE],
}
