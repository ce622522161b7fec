"""Optimistic concurrency: refuse a write based on a stale version (409)."""

from .guards import check_version


def lock_current(queryset, pk, expected_version: int):
    """Lock the row and check it still has `expected_version`, else 409 `conflict.stale`.

    Call inside `transaction.atomic()`; the caller then edits, bumps `version` and `save()`s,
    so django-auditlog records the field diff. A parallel writer waits on the lock and then
    sees the bumped version — the second of two stale writes always loses.
    """
    instance = queryset.select_for_update().get(pk=pk)
    check_version(instance, expected_version)
    return instance
