"""The one scoping service: which org units a user may see (INF-1).

Store staff see their store, region staff their region's stores, HQ staff everything.
A department's members see what the unit above the department sees. Roles marked
`org_scoped=False` (the outsourced provider's dispatcher) see no org unit's records;
their own scope comes from the provider they work for.
"""

from django.db.models import Q

from . import config_cache
from .choices import OrgUnitKind
from .roles import ROLES_BY_GROUP


def _scope_root(unit):
    """The unit whose subtree a member of `unit` sees."""
    if unit.kind == OrgUnitKind.DEPARTMENT and unit.parent_id:
        return unit.parent
    return unit


def visible_unit_ids(user) -> set[int] | None:
    """Ids of the org units `user` may see, or None for everything (HQ scope).

    Cached on the user object for the length of a request, and per process under the configuration stamp
    (`core.config_cache`, issue 17 §1): a membership or org unit changed anywhere is in force from the next
    request on every worker.
    """
    cached = getattr(user, "_visible_unit_ids", "unset")
    if cached != "unset":
        return cached
    if user.pk is None:
        result = _read_visible_unit_ids(user)
    else:
        found = config_cache.cached(("units", user.pk), lambda: _frozen(_read_visible_unit_ids(user)))
        result = None if found is None else set(found)
    user._visible_unit_ids = result
    return result


def _frozen(ids: set[int] | None) -> frozenset[int] | None:
    return None if ids is None else frozenset(ids)


def _read_visible_unit_ids(user) -> set[int] | None:
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
    return result


def is_hq(user) -> bool:
    return user.is_superuser or visible_unit_ids(user) is None


def can_see_unit(user, unit_id: int) -> bool:
    ids = visible_unit_ids(user)
    return user.is_superuser or ids is None or unit_id in ids


def in_scope(user, obj) -> bool:
    """Whether `user` may see `obj`, answered from the loaded row where its model's `scope_field` is a plain
    foreign key (no query); a path through other tables asks the database (`visible_to`)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    ids = visible_unit_ids(user)
    if ids is None:
        return True
    field = type(obj).scope_field
    if "__" in field:
        return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()
    return (obj.pk if field == "pk" else getattr(obj, f"{field}_id")) in ids
