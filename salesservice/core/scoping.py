"""The one scoping service: which org units a user may see (INF-1).

Store staff see their store, region staff their region's stores, HQ staff everything.
A department's members see what the unit above the department sees. Roles marked
`org_scoped=False` (the outsourced provider's dispatcher) see no org unit's records;
their own scope comes from the provider they work for.
"""

from django.db.models import Q

from .choices import OrgUnitKind
from .roles import ROLES_BY_GROUP


def _scope_root(unit):
    """The unit whose subtree a member of `unit` sees."""
    if unit.kind == OrgUnitKind.DEPARTMENT and unit.parent_id:
        return unit.parent
    return unit


def visible_unit_ids(user) -> set[int] | None:
    """Ids of the org units `user` may see, or None for everything (HQ scope).

    Cached on the user object for the length of a request.
    """
    cached = getattr(user, "_visible_unit_ids", "unset")
    if cached != "unset":
        return cached
    from .models import OrgUnit

    result: set[int] | None = set()
    memberships = list(user.memberships.select_related("org_unit__parent", "role"))
    roots = []
    for membership in memberships:
        role = ROLES_BY_GROUP.get(membership.role.name)
        if role is not None and not role.org_scoped:
            continue
        root = _scope_root(membership.org_unit)
        if root.kind == OrgUnitKind.COMPANY:
            result = None
            break
        roots.append(root)
    if result is not None and roots:
        query = Q()
        for root in roots:
            query |= Q(path__startswith=root.path)
        result = set(OrgUnit.objects.filter(query).values_list("pk", flat=True))
    user._visible_unit_ids = result
    return result


def is_hq(user) -> bool:
    return user.is_superuser or visible_unit_ids(user) is None


def can_see_unit(user, unit_id: int) -> bool:
    ids = visible_unit_ids(user)
    return user.is_superuser or ids is None or unit_id in ids
