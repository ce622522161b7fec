"""Core models: org units and users, numbering, policy parameters, calendars, notifications, audit."""

from .attachments import Attachment
from .audit import Event, IdempotencyRecord, PersonalDataAccess
from .calendar import BusinessCalendar, StatutoryDay, WorkingWindow
from .clocks import DeadlineBreach
from .config import ConfigStamp
from .heartbeat import Heartbeat
from .notifications import Notification
from .numbering import NumberCounter, NumberSeries
from .org import Membership, OrgUnit, User
from .policy import PolicyParameter, PolicyValue

__all__ = [
    "Attachment",
    "BusinessCalendar",
    "ConfigStamp",
    "DeadlineBreach",
    "Event",
    "Heartbeat",
    "IdempotencyRecord",
    "Membership",
    "Notification",
    "NumberCounter",
    "NumberSeries",
    "OrgUnit",
    "PersonalDataAccess",
    "PolicyParameter",
    "PolicyValue",
    "StatutoryDay",
    "User",
    "WorkingWindow",
]
