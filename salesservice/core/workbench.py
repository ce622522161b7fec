"""Workbench (工作台) panels: each app contributes its queues for the user in front of it.

An app registers a function in its `AppConfig.ready()`::

    from salesservice.core.workbench import Panel, PanelRow, workbench_panel

    @workbench_panel(order=20)
    def expiring_qualifications(request) -> Panel | None:
        ...  # None when the panel does not apply to this user

Each function gets the request and returns a `Panel` (already scoped to the user) or None.
Panels are rendered in `order`; one failing panel is logged and left out, never breaking the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from salesservice.core.views.generic import capped_count

logger = logging.getLogger(__name__)


@dataclass
class PanelRow:
    text: str
    url: str = ""
    meta: str = ""  # right-aligned detail, e.g. a date
    badge: str = ""
    badge_class: str = "bg-secondary-lt"


@dataclass
class Panel:
    key: str  # DOM id: panel-<key>
    title: str
    rows: list[PanelRow] = field(default_factory=list)
    total: int | None = None  # shown beside the title; rows may be the first few of it
    total_capped: bool = False  # there are more than `total`: shown as "99+"
    more_url: str = ""
    empty_text: str = ""
    width: int = 6  # Bootstrap columns out of 12


PANEL_ROWS = 6
TOTAL_CAP = 99


def first_rows_and_total(queryset, limit: int | None = None) -> tuple[list, int, bool]:
    """A queue's first `limit` rows, its total and whether the total is capped.

    One row more than `limit` is read: when it is not there, the rows are the whole queue and no count is
    run. Otherwise at most `TOTAL_CAP` + 1 rows are counted in no order, and the badge reads "99+". An exact
    COUNT over a queue of a million requests cost 131 ms of the workbench (issue 17 lists goal: bench
    `workbench` at 1 M).
    """
    limit = limit or PANEL_ROWS
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, len(items), False
    total, capped = capped_count(queryset, TOTAL_CAP)
    return items[:limit], total, capped


def queue_total(queryset) -> dict:
    """`Panel(..., **queue_total(queryset))`: the queue's total counted up to `TOTAL_CAP` + 1 rows in no order."""
    total, capped = capped_count(queryset, TOTAL_CAP)
    return {"total": total, "total_capped": capped}


def queue_panel(key: str, title: str, queryset, row: Callable, more_url: str = "", **options) -> Panel:
    """A panel of a queue: the first rows made by `row(item)` and the capped total (`first_rows_and_total`)."""
    items, total, capped = first_rows_and_total(queryset)
    options.setdefault("empty_text", _("暂无"))
    return Panel(
        key=key,
        title=title,
        rows=[row(item) for item in items],
        total=total,
        total_capped=capped,
        more_url=more_url,
        **options,
    )


_PANELS: list[tuple[int, Callable]] = []


def workbench_panel(order: int = 100):
    def register(func):
        if func not in [f for _o, f in _PANELS]:
            _PANELS.append((order, func))
            _PANELS.sort(key=lambda item: item[0])
        return func

    return register


def panels_for(request) -> list[Panel]:
    panels = []
    for _order, func in _PANELS:
        try:
            panel = func(request)
        except Exception:  # noqa: BLE001 — one broken queue must not take the workbench down
            logger.exception("workbench panel %s failed", getattr(func, "__qualname__", func))
            continue
        if panel is not None:
            panels.append(panel)
    return panels
