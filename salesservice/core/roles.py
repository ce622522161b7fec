"""The roles of DESIGN §1, each a Django Group with a permission set.

A role's permissions are "app_label.codename" strings; later apps append theirs to
`Role.permissions` here so one place says who may do what. `sync_roles()` (run by
`migrate` via the demo loader and by `manage.py sync_roles`) makes the Groups match.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

VIEW_ORG = ["core.view_orgunit", "core.view_user", "core.view_membership"]

# Products (catalog): everyone reads; QA and purchasing maintain; QA alone marks a product unsellable (PRD-1).
VIEW_CATALOG = ["catalog.view_product", "catalog.view_productcategory", "catalog.view_inspectiontemplate"]
EDIT_CATALOG = [
    *VIEW_CATALOG,
    "catalog.add_product",
    "catalog.change_product",
    "catalog.add_productcategory",
    "catalog.change_productcategory",
    "catalog.add_inspectiontemplate",
    "catalog.change_inspectiontemplate",
]
QA_CATALOG = [*EDIT_CATALOG, "catalog.set_product_restriction"]

# Customers: reading is scoped to org units; the contact data is masked, and only the roles that
# contact customers may reveal it (logged) — INF-1, SRV-10. Qualifications (BUY-1), property (CPR-1).
VIEW_CUSTOMERS = [
    "customers.view_customer",
    "customers.view_qualification",
    "customers.view_customerproperty",
    "customers.view_consent",
]
SERVE_CUSTOMERS = [
    *VIEW_CUSTOMERS,
    "customers.add_customer",
    "customers.change_customer",
    "customers.reveal_customer_contact",
    "customers.add_qualification",
    "customers.add_customerproperty",
    "customers.change_customerproperty",
    "customers.report_property_incident",
    "customers.add_consent",
    "customers.change_consent",
]
MANAGE_CUSTOMERS = [*SERVE_CUSTOMERS, "customers.change_qualification", "customers.export_customer_data"]
PRIVACY_OFFICER = [*MANAGE_CUSTOMERS, "customers.anonymise_customer"]

# After-sales service desk (SRV-1…SRV-11): requests are scoped to their store; the outsourced
# provider's dispatcher sees only the work orders dispatched to its provider.
VIEW_SERVICE = [
    "service.view_servicerequest",
    "service.view_knowledgearticle",
    "people.view_certification",
    "network.view_serviceprovider",
]
WORK_SERVICE = [*VIEW_SERVICE, "service.change_servicerequest", "service.add_workrecord"]
DESK_SERVICE = [*WORK_SERVICE, "service.add_servicerequest", "service.dispatch_servicerequest"]
SUPERVISE_SERVICE = [
    *DESK_SERVICE,
    "service.close_servicerequest",
    "service.add_knowledgearticle",
    "service.change_knowledgearticle",
    "service.publish_knowledgearticle",
]
# The customer closed loop (issue 5): complaints with compensation (CMP-*), returns (RET-*), follow-ups
# and surveys (FBK-*), nonconformance records (SUP-8). Complaints and returns are scoped to the store.
VIEW_LOOP = [
    "complaints.view_complaint",
    "complaints.view_compensationentry",
    "returns.view_returnrequest",
    "feedback.view_followup",
    "feedback.view_surveyresponse",
    "feedback.view_surveytemplate",
    "feedback.view_suggestion",
    "inspection.view_nonconformance",
]
DESK_LOOP = [
    *VIEW_LOOP,
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.pay_compensation",
    "returns.add_returnrequest",
    "returns.change_returnrequest",
    "returns.settle_returnrequest",
    "feedback.add_followup",
    "feedback.change_followup",
    "feedback.change_suggestion",
]
SUPERVISE_LOOP = [
    *DESK_LOOP,
    "complaints.close_complaint",
    "complaints.approve_compensation",
    "returns.approve_returnrequest",
]
MANAGE_LOOP = [
    *SUPERVISE_LOOP,
    "complaints.manage_compensation_fund",
    "feedback.add_surveytemplate",
    "feedback.change_surveytemplate",
]
QUALITY_LOOP = [
    *VIEW_LOOP,
    "returns.change_returnrequest",
    "inspection.add_nonconformance",
    "inspection.change_nonconformance",
]
MANAGE_NETWORK = ["network.add_serviceprovider", "network.change_serviceprovider", "network.change_provider_status"]
MANAGE_CERTIFICATIONS = ["people.view_certification", "people.add_certification", "people.change_certification"]


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    permissions: list[str] = field(default_factory=list)
    org_scoped: bool = True  # False: sees no org unit's records (external provider login)
    is_manager: bool = False

    @property
    def group_name(self) -> str:
        return self.code


ROLES: list[Role] = [
    Role("cs_rep", _("客服专员"), [*VIEW_ORG, *VIEW_CATALOG, *SERVE_CUSTOMERS, *DESK_SERVICE, *DESK_LOOP]),
    Role("sales_rep", _("销售"), [*VIEW_ORG, *VIEW_CATALOG, *SERVE_CUSTOMERS, "customers.change_qualification"]),
    Role(
        "engineer",
        _("售后工程师"),
        [
            *VIEW_ORG,
            *VIEW_CATALOG,
            *VIEW_CUSTOMERS,
            "customers.reveal_customer_contact",
            "customers.add_customerproperty",
            "customers.change_customerproperty",
            "customers.report_property_incident",
            *WORK_SERVICE,
        ],
    ),
    Role(
        "cs_supervisor",
        _("客服主管"),
        [*VIEW_ORG, "core.reveal_personal_data", *VIEW_CATALOG, *MANAGE_CUSTOMERS, *SUPERVISE_SERVICE, *SUPERVISE_LOOP],
        is_manager=True,
    ),
    Role(
        "store_manager",
        _("店长"),
        [*VIEW_ORG, "core.reveal_personal_data", *VIEW_CATALOG, *MANAGE_CUSTOMERS, *SUPERVISE_SERVICE, *SUPERVISE_LOOP],
        is_manager=True,
    ),
    Role(
        "region_manager",
        _("区域经理"),
        [*VIEW_ORG, "core.reveal_personal_data", *VIEW_CATALOG, *MANAGE_CUSTOMERS, *SUPERVISE_SERVICE, *SUPERVISE_LOOP],
        is_manager=True,
    ),
    Role(
        "service_manager",
        _("售后经理"),
        [
            *VIEW_ORG,
            "core.reveal_personal_data",
            "auditlog.view_logentry",
            "core.view_policyparameter",
            *VIEW_CATALOG,
            *PRIVACY_OFFICER,
            *SUPERVISE_SERVICE,
            *MANAGE_NETWORK,
            *MANAGE_CERTIFICATIONS,
            *MANAGE_LOOP,
        ],
        is_manager=True,
    ),
    Role(
        "warehouse_clerk",
        _("仓管"),
        [
            *VIEW_ORG,
            *VIEW_CATALOG,
            "customers.view_customer",
            "returns.view_returnrequest",
            "returns.change_returnrequest",
        ],
    ),
    Role(
        "qa_inspector",
        _("质量部"),
        [*VIEW_ORG, "core.view_policyparameter", *QA_CATALOG, "customers.view_customer", *QUALITY_LOOP],
    ),
    Role("purchaser", _("采购"), [*VIEW_ORG, *EDIT_CATALOG]),
    Role("hr_trainer", _("人力资源"), [*VIEW_ORG, "core.reveal_personal_data", *VIEW_CATALOG, *MANAGE_CERTIFICATIONS]),
    Role(
        "auditor",
        _("内审/监督"),
        [
            *VIEW_ORG,
            "auditlog.view_logentry",
            "core.view_policyparameter",
            "core.view_personaldataaccess",
            "core.view_event",
            *VIEW_CATALOG,
            *VIEW_CUSTOMERS,
            *VIEW_SERVICE,
            *VIEW_LOOP,
        ],
    ),
    # Sees no org unit's records: only the work orders dispatched to its own provider (NET-*).
    Role(
        "provider_dispatcher",
        _("外协网点调度"),
        ["service.view_servicerequest", "service.change_servicerequest", "service.add_workrecord"],
        org_scoped=False,
    ),
    Role(
        "system_admin",
        _("系统管理员"),
        [
            *VIEW_ORG,
            "core.add_orgunit",
            "core.change_orgunit",
            "core.add_user",
            "core.change_user",
            "core.add_membership",
            "core.delete_membership",
            "core.view_policyparameter",
            "core.change_policyparameter",
            "core.view_businesscalendar",
            "core.change_businesscalendar",
            "core.view_statutoryday",
            "core.add_statutoryday",
            "core.change_statutoryday",
            "core.delete_statutoryday",
            "auditlog.view_logentry",
            "core.view_personaldataaccess",
            "core.view_event",
            "core.reveal_personal_data",
            *QA_CATALOG,
            *PRIVACY_OFFICER,
            *SUPERVISE_SERVICE,
            *MANAGE_NETWORK,
            *MANAGE_CERTIFICATIONS,
            *MANAGE_LOOP,
            *QUALITY_LOOP,
        ],
        is_manager=True,
    ),
]

ROLES_BY_CODE: dict[str, Role] = {role.code: role for role in ROLES}
ROLES_BY_GROUP: dict[str, Role] = {role.group_name: role for role in ROLES}


def role_label(group_name: str) -> str:
    role = ROLES_BY_GROUP.get(group_name)
    return str(role.label) if role else group_name


def sync_roles() -> None:
    """Create a Group per role and set exactly its permissions (those whose app is installed)."""
    from django.contrib.auth.models import Group, Permission

    all_perms = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set([all_perms[p] for p in role.permissions if p in all_perms])
