"""Shared model machinery: the versioned base for optimistic concurrency, and org scoping."""

from django.db import models


class VersionedModel(models.Model):
    """A row edited by people: `version` grows on each update so a stale write can be refused (409)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see.

    Each scoped model names the path to its org unit in `scope_field` (e.g. "store" or
    "customer__store"). `visible_to(user)` is the one gate every page and API uses (INF-1).
    """

    def visible_to(self, user, *, lazy: bool = False):
        """The rows `user` may see. `lazy=True` leaves the scope's filter to be added when the queryset is first
        used (Django's deferred filter, as its related managers do): a caller that usually answers from a
        statement compiled once (`get` below, `core.lookups`) does not pay for building the filter every
        request (issue 17 §2) — any other use of the queryset still applies it first."""
        from salesservice.core.scoping import visible_unit_ids

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        unit_ids = visible_unit_ids(user)
        if unit_ids is None:  # HQ scope: everything
            return self
        field = self.model.scope_field
        if "__" in field:
            # A to-many path (e.g. a user's memberships): a pk subquery instead of DISTINCT, so that
            # the result still paginates by keyset and can be locked with select_for_update().
            matching = self.model._default_manager.filter(**{f"{field}__in": unit_ids}).values("pk")
            return self.filter(pk__in=matching)
        if lazy:
            self._defer_next_filter = True
        return self.filter(**{f"{field}__in": unit_ids})

    def get(self, *args, **kwargs):
        """`get(pk=…)` on a queryset an API field scoped (`core.api.fields`) runs the statement compiled once
        for the user (`core.lookups.get_in_scope`, issue 17 §2); everything else is Django's `get`."""
        lookup = self.__dict__.get("_lookup_in_scope")
        if lookup is not None and not args and kwargs.keys() == {"pk"}:
            from salesservice.core.lookups import get_in_scope

            base, user = lookup
            return get_in_scope(base, kwargs["pk"], user, scoped=self)
        return super().get(*args, **kwargs)

    def in_unit(self, unit):
        """Records of `unit` and the units below it (None: everything) — what a report for a store, a region or
        HQ counts. The caller has checked that the reader may see `unit` (`core.scoping.can_see_unit`)."""
        if unit is None:
            return self
        field = self.model.scope_field
        if "__" in field:
            matching = self.model._default_manager.filter(**{f"{field}__path__startswith": unit.path}).values("pk")
            return self.filter(pk__in=matching)
        return self.filter(**{f"{field}__path__startswith": unit.path})
