"""Reads of outsourced providers: scoped lists, dispatchable providers, a dispatcher's providers."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from salesservice.catalog.models import ProductCategory
from salesservice.core.models import OrgUnit, User

from .models import ServiceProvider


def provider_list(user) -> QuerySet:
    """Providers `user` may see, with what a list row shows (no N+1)."""
    return (
        ServiceProvider.objects.visible_to(user)
        .select_related("org_unit")
        .prefetch_related(
            Prefetch("categories", queryset=ProductCategory.objects.order_by("path")),
            Prefetch("dispatchers", queryset=User.objects.order_by("username")),
        )
    )


def provider_ids_for_dispatcher(user) -> list[int]:
    """Ids of the providers whose dispatchers include `user` (the dispatcher's own work scope)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    through = ServiceProvider.dispatchers.through
    return sorted(through.objects.filter(user_id=user.pk).values_list("serviceprovider_id", flat=True))


def dispatchable_providers(unit_ids: Iterable[int] | None = None) -> QuerySet:
    """Providers whose status allows dispatch (NET-3), serving `unit_ids` (None = any).

    A provider registered for a region (or the company) serves every store below it, so a
    provider whose org unit is one of `unit_ids` or an ancestor of one of them is included.
    """
    providers = ServiceProvider.objects.dispatchable().select_related("org_unit")
    if unit_ids is None:
        return providers.order_by("code")
    unit_ids = list(unit_ids)
    serving = set(unit_ids)
    for path in OrgUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True):
        serving.update(int(part) for part in path.strip("/").split("/") if part)
    return providers.filter(org_unit_id__in=serving).order_by("code")
