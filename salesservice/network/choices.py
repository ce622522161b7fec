"""Choices of the network app: the provider lifecycle (DESIGN §4, NET-3) and timeline events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderStatus(models.TextChoices):
    """Sanction ladder of an outsourced service point (seed 004; NET-3)."""

    ACTIVE = "active", _("正常")
    WARNED = "warned", _("发函警告")
    RECTIFYING = "rectifying", _("限期整改")
    DISPATCH_STOPPED = "dispatch_stopped", _("停止派工")
    REMOVED = "removed", _("撤点")


S = ProviderStatus

# NET-3: sanctions climb the ladder by violation count. A month with several violations may skip
# rungs (the ladder is a policy parameter), so any move up is allowed; a sanctioned point that has
# rectified returns to 正常; 撤点 is final.
TRANSITIONS: dict[str, set[str]] = {
    S.ACTIVE: {S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED, S.REMOVED},
    S.WARNED: {S.ACTIVE, S.RECTIFYING, S.DISPATCH_STOPPED, S.REMOVED},
    S.RECTIFYING: {S.ACTIVE, S.DISPATCH_STOPPED, S.REMOVED},
    S.DISPATCH_STOPPED: {S.ACTIVE, S.REMOVED},
    S.REMOVED: set(),
}

# NET-3: work may still be dispatched to a warned or rectifying point, not to a stopped or removed one.
DISPATCHABLE = (S.ACTIVE, S.WARNED, S.RECTIFYING)

# The order of the ladder (for "next allowed statuses" buttons and the suggested sanction).
LADDER = [S.ACTIVE, S.WARNED, S.RECTIFYING, S.DISPATCH_STOPPED, S.REMOVED]


class EventType(models.TextChoices):
    """Typed timeline events of the network app (status changes use core.status_changed)."""

    PROVIDER_CREATED = "network.provider_created", _("新建外协网点")
    PROVIDER_UPDATED = "network.provider_updated", _("修改外协网点")
    VIOLATION_RECORDED = "network.violation_recorded", _("登记网点违规")
