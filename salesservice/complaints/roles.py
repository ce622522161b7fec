"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

`view_recovery` goes with `view_compensationentry`: whoever sees the fund's ledger sees its recoveries.
"""

ROLE_GRANTS = {
    "cs_rep": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
    ],
    "cs_supervisor": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
        "complaints.close_complaint",
        "complaints.approve_compensation",
    ],
    "store_manager": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
        "complaints.close_complaint",
        "complaints.approve_compensation",
    ],
    "region_manager": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
        "complaints.close_complaint",
        "complaints.approve_compensation",
    ],
    "service_manager": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
        "complaints.close_complaint",
        "complaints.approve_compensation",
        "complaints.manage_compensation_fund",
    ],
    "qa_inspector": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
    ],
    "auditor": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
    ],
    "system_admin": [
        "complaints.view_complaint",
        "complaints.view_compensationentry",
        "complaints.view_recovery",
        "complaints.add_complaint",
        "complaints.change_complaint",
        "complaints.pay_compensation",
        "complaints.close_complaint",
        "complaints.approve_compensation",
        "complaints.manage_compensation_fund",
    ],
}
