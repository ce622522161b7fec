"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

TRC-2: QA 质量部 and the general manager create, launch and close recalls; the people who know the customers —
sales reps, store managers, customer-service reps (and region managers) — work the recall tasks of the customers in
their scope: contact them, record what comes back; the warehouse clerk records goods received back. The auditor
and the system admin read. The trace itself needs `sales.view_salesrecord` (granted by the sales app).
"""

CAMPAIGN_VIEW = ["trace.view_recallcampaign", "trace.view_recalllot"]
CAMPAIGN_RUN = [
    *CAMPAIGN_VIEW,
    "trace.add_recallcampaign",
    "trace.launch_recallcampaign",
    "trace.close_recallcampaign",
]
TASK_VIEW = ["trace.view_recalltask"]
TASK_WORK = [*TASK_VIEW, "trace.work_recalltask"]

ROLE_GRANTS = {
    "qa_inspector": [*CAMPAIGN_RUN, *TASK_WORK],
    "general_manager": [*CAMPAIGN_RUN, *TASK_WORK],
    "sales_rep": TASK_WORK,
    "store_manager": TASK_WORK,
    "cs_rep": TASK_WORK,
    "region_manager": TASK_WORK,
    "warehouse_clerk": [*CAMPAIGN_VIEW, *TASK_WORK],
    "service_manager": [*CAMPAIGN_VIEW, *TASK_VIEW],
    "auditor": [*CAMPAIGN_VIEW, *TASK_VIEW],
    "system_admin": [*CAMPAIGN_VIEW, *TASK_VIEW],
}
