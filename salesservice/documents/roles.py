"""The permissions this app gives each role (merged into the role groups by `core.roles.sync_roles`) — DOC-1.

Everyone in the company reads the controlled documents that apply to them and confirms reading those their
role is named on. The quality department (文件管理) and the managers draft and revise documents of their units;
the general manager and the HQ service manager approve, issue and retire them — never a version they wrote
themselves (maker-checker, enforced by the service).
"""

READ = ["documents.view_controlleddocument", "documents.view_documentversion", "documents.view_acknowledgement"]
DRAFT = [*READ, "documents.add_controlleddocument", "documents.change_controlleddocument"]
APPROVE = [*DRAFT, "documents.approve_documentversion", "documents.issue_documentversion"]

ROLE_GRANTS = {
    "cs_rep": READ,
    "sales_rep": READ,
    "engineer": READ,
    "cs_supervisor": READ,
    "warehouse_clerk": READ,
    "purchaser": READ,
    "hr_trainer": READ,
    "auditor": READ,
    "store_manager": DRAFT,
    "region_manager": DRAFT,
    "purchasing_manager": DRAFT,
    "qa_inspector": DRAFT,
    "system_admin": DRAFT,
    "service_manager": APPROVE,
    "general_manager": APPROVE,
}
