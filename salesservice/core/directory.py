"""The directory: who holds a role at, above or across org units — the one function escalation,
notifications and approvals ask (instead of hand-written membership queries).

    holders("store_manager", store, exact=True)          # the store's own managers
    holders(("cs_supervisor", "store_manager"), store, exact=True)
    holders("region_manager", store)                     # at the store or any unit above it
    holders("service_manager", hq=True)                  # at HQ: the company or one of its departments
    holders("qa_inspector")                              # anywhere

Answers are cached for the request (or job) in the request context, so asking twice costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from . import context
from .choices import OrgUnitKind


def _unit_ids(unit, exact: bool) -> list[int]:
    if exact:
        return [unit.pk]
    return unit.ancestor_ids() or [unit.pk]


def holders(roles: str | Iterable[str], unit=None, *, exact: bool = False, hq: bool = False) -> list:
    """Active users holding any of `roles`: at `unit` (`exact`), at it or any unit above it (default), at HQ
    (`hq`: the company or a unit directly under it — its departments), or anywhere (no unit, not `hq`). Ordered by id."""
    from .models import User

    role_names = (roles,) if isinstance(roles, str) else tuple(roles)
    key = ("holders", role_names, getattr(unit, "pk", unit), exact, hq)
    ctx = context.current()
    # Only a request, job or command has a context of its own; the process-wide default lives on.
    memo = ctx.memo if ctx.via != "system" else {}
    if key in memo:
        return memo[key]
    queryset = User.objects.filter(is_active=True, memberships__role__name__in=role_names)
    if hq:
        queryset = queryset.filter(
            Q(memberships__org_unit__kind=OrgUnitKind.COMPANY)
            | Q(memberships__org_unit__parent__kind=OrgUnitKind.COMPANY)
        )
    elif unit is not None:
        if isinstance(unit, int):
            from .models import OrgUnit

            unit = OrgUnit.objects.only("pk", "path").get(pk=unit) if not exact else OrgUnit(pk=unit)
        queryset = queryset.filter(memberships__org_unit_id__in=_unit_ids(unit, exact))
    result = list(queryset.distinct().order_by("pk"))
    memo[key] = result
    return result


def forget() -> None:
    """Drop the cached answers (after a membership change within the same request or job)."""
    memo = context.current().memo
    for key in [key for key in memo if key[0] == "holders"]:
        del memo[key]


# The escalation ladder of DESIGN §4 (SRV-2, CMP-2): who answers for a store's document at each level.
STORE_LEVEL_ROLES = ("cs_supervisor", "store_manager")
REGION_LEVEL_ROLE = "region_manager"
HQ_LEVEL_ROLE = "service_manager"


def level_managers(store, level: int) -> list:
    """The managers of escalation level `level` for a document of `store`: 0 the store's CS supervisors and
    store managers, 1 the region managers of the region above it, 2 the after-sales managers at HQ."""
    if level <= 0:
        return holders(STORE_LEVEL_ROLES, store, exact=True)
    if level == 1:
        return holders(REGION_LEVEL_ROLE, store.parent_id, exact=True) if store.parent_id else []
    return holders(HQ_LEVEL_ROLE, hq=True)
