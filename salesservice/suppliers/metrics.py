"""The execution figures of a supplier over a period (SUP-5), gathered from whoever records deliveries.

suppliers sits below purchasing (import-linter layers), so it cannot ask purchasing directly: purchasing
(and any other app that receives goods) registers a function here —

    from salesservice.suppliers import metrics

    @metrics.register
    def receipt_figures(supplier, start, end) -> dict | None: ...

returning {received_quantity, accepted_quantity, due_lines, on_time_lines, complete_lines, nc_count} for
the supplier's deliveries in [start, end], or None when it had none. `figures` adds up every registered
source; the evaluation turns them into the computed scores (SUP-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

FIELDS = ("received_quantity", "accepted_quantity", "due_lines", "on_time_lines", "complete_lines", "nc_count")

_SOURCES: list[Callable] = []


def register(fn: Callable) -> Callable:
    """Add a figures source `fn(supplier, start: date, end: date) -> dict | None` (once); returns `fn` so it
    can be used as a decorator."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def unregister(fn: Callable) -> None:
    if fn in _SOURCES:
        _SOURCES.remove(fn)


def sources() -> list[Callable]:
    return list(_SOURCES)


def figures(supplier, start: dt.date, end: dt.date) -> dict | None:
    """The sum of every registered source's figures for `supplier` over [start, end]; None if all say None
    (no deliveries in the period). Missing keys count as 0."""
    total = None
    for source in _SOURCES:
        found = source(supplier, start, end)
        if found is None:
            continue
        if total is None:
            total = dict.fromkeys(FIELDS, 0)
        for key in FIELDS:
            total[key] += int(found.get(key) or 0)
    return total
