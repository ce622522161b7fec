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
    more_url: str = ""
    empty_text: str = ""
    width: int = 6  # Bootstrap columns out of 12


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
