"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`).

The auditor 钱监督 is the supervision role (SUV-1): plans and performs checks of every method anywhere,
raises, verifies and closes findings, and opens cross-department issues. The store manager performs spot
checks in its store (SUV-3) and rectifies the findings it owns; managers read in their scope (COM-1: the
heads of departments resolve their issues).
"""

CHECK_VIEW = ["supervision.view_supervisioncheck", "supervision.view_finding", "supervision.view_coordinationissue"]
OWNER = [*CHECK_VIEW, "supervision.rectify_finding"]
HEAD = [*OWNER, "supervision.add_coordinationissue", "supervision.resolve_coordinationissue"]

ROLE_GRANTS = {
    "auditor": [
        *HEAD,
        "supervision.add_supervisioncheck",
        "supervision.perform_supervisioncheck",
        "supervision.plan_any_check",
        "supervision.add_finding",
        "supervision.verify_finding",
    ],
    "store_manager": [
        *OWNER,
        "supervision.add_supervisioncheck",
        "supervision.perform_supervisioncheck",
        "supervision.add_finding",
        "supervision.resolve_coordinationissue",
    ],
    "cs_supervisor": OWNER,
    "region_manager": [*HEAD, "supervision.verify_finding"],
    "service_manager": [*HEAD, "supervision.verify_finding"],
    "purchasing_manager": HEAD,
    "general_manager": [*HEAD, "supervision.verify_finding"],
    "qa_inspector": CHECK_VIEW,
    "system_admin": CHECK_VIEW,
}
