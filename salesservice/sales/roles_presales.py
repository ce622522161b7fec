"""Role grants of the pre-sales part (inquiries, claims, tenders, authorisation letters, sales plans).

Sales reps, CS reps, store and region managers register and work inquiries (PRE-1, PRE-3), submit product
claims (PRE-2) and track tenders (SAL-3); QA approves claims; the general manager receives tender reports and
approves the annual plans (SAL-4), which store and region managers draw up; store and region managers and the
general manager issue and revoke sales-rep authorisation letters (BUY-2); the auditor and the system
administrator view everything.
"""

INQUIRY = ["sales.view_inquiry", "sales.add_inquiry", "sales.change_inquiry"]
CLAIM_VIEW = ["sales.view_productclaim"]
CLAIM = [*CLAIM_VIEW, "sales.add_productclaim", "sales.change_productclaim"]
TENDER = ["sales.view_tender", "sales.add_tender", "sales.change_tender"]
LETTER_VIEW = ["sales.view_repauthorisation"]
LETTER = [*LETTER_VIEW, "sales.add_repauthorisation", "sales.change_repauthorisation"]
PLAN_VIEW = ["sales.view_salesplan"]
PLAN = [*PLAN_VIEW, "sales.add_salesplan", "sales.change_salesplan"]
ALL_VIEW = ["sales.view_inquiry", *CLAIM_VIEW, "sales.view_tender", *LETTER_VIEW, *PLAN_VIEW]
WRITER = [*INQUIRY, *CLAIM, *TENDER]

PRESALES_GRANTS: dict[str, list[str]] = {
    "sales_rep": [*WRITER, *LETTER_VIEW, *PLAN_VIEW],
    "cs_rep": [*WRITER],
    "store_manager": [*WRITER, *LETTER, *PLAN],
    "region_manager": [*WRITER, *LETTER, *PLAN],
    "general_manager": [*ALL_VIEW, *LETTER, *PLAN, "sales.approve_salesplan"],
    "qa_inspector": [*CLAIM, "sales.approve_productclaim"],
    "auditor": [*ALL_VIEW],
    "system_admin": [*ALL_VIEW],
}
