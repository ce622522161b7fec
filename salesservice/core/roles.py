"""The roles of DESIGN §1, each a Django Group with a permission set.

A role's permissions are "app_label.codename" strings: `core`'s own are listed here, and each domain app
grants its own in `<app>/roles.py` (`ROLE_GRANTS`, declared on its AppConfig and collected through the app
registry). `sync_roles()` (run after `migrate`, by the demo loader and by `manage.py sync_roles`) makes the
Groups match.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

VIEW_ORG = ["core.view_orgunit", "core.view_user", "core.view_membership"]


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    permissions: list[str] = field(default_factory=list)  # core's own; apps add theirs (`all_permissions`)
    org_scoped: bool = True  # False: sees no org unit's records (external provider login)
    is_manager: bool = False

    @property
    def group_name(self) -> str:
        return self.code

    @property
    def all_permissions(self) -> list[str]:
        from .registry import role_grants

        return [*self.permissions, *role_grants(self.code)]


ROLES: list[Role] = [
    Role("cs_rep", _("客服专员"), [*VIEW_ORG]),
    Role("sales_rep", _("销售"), [*VIEW_ORG]),
    Role("engineer", _("售后工程师"), [*VIEW_ORG]),
    Role("cs_supervisor", _("客服主管"), [*VIEW_ORG, "core.reveal_personal_data"], is_manager=True),
    Role("store_manager", _("店长"), [*VIEW_ORG, "core.reveal_personal_data"], is_manager=True),
    Role("region_manager", _("区域经理"), [*VIEW_ORG, "core.reveal_personal_data"], is_manager=True),
    Role(
        "service_manager",
        _("售后经理"),
        [
            *VIEW_ORG,
            "core.reveal_personal_data",
            "auditlog.view_logentry",
            "core.view_policyparameter",
        ],
        is_manager=True,
    ),
    Role("warehouse_clerk", _("仓管"), [*VIEW_ORG]),
    Role("qa_inspector", _("质量部"), [*VIEW_ORG, "core.view_policyparameter"]),
    Role("purchaser", _("采购"), [*VIEW_ORG]),
    Role("purchasing_manager", _("采购主管"), [*VIEW_ORG], is_manager=True),
    Role(
        "general_manager",
        _("总经理"),
        [*VIEW_ORG, "core.reveal_personal_data", "auditlog.view_logentry", "core.view_policyparameter"],
        is_manager=True,
    ),
    Role("hr_trainer", _("人力资源"), [*VIEW_ORG, "core.reveal_personal_data"]),
    Role(
        "auditor",
        _("内审/监督"),
        [
            *VIEW_ORG,
            "auditlog.view_logentry",
            "core.view_policyparameter",
            "core.view_personaldataaccess",
            "core.view_event",
        ],
    ),
    Role("provider_dispatcher", _("外协网点调度"), [], org_scoped=False),
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
        group.permissions.set([all_perms[p] for p in role.all_permissions if p in all_perms])
