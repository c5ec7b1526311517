"""All models, importable from one place."""

from service.models.admin import AdminUser, AuditLog
from service.models.base import Base, UTCDateTime, db, dialect_name, utcnow
from service.models.messaging import InboundMessage, OutboxMessage
from service.models.people import (
    Caregiver,
    Child,
    Facilitator,
    Household,
    MigrantParent,
    OptOut,
    Village,
)
from service.models.programme import (
    Attendance,
    CallbackRequest,
    Enrollment,
    LessonFeedback,
    Meeting,
    MeetingRsvp,
)

__all__ = [
    "AdminUser",
    "Attendance",
    "AuditLog",
    "Base",
    "CallbackRequest",
    "Caregiver",
    "Child",
    "Enrollment",
    "Facilitator",
    "Household",
    "InboundMessage",
    "LessonFeedback",
    "Meeting",
    "MeetingRsvp",
    "MigrantParent",
    "OptOut",
    "OutboxMessage",
    "UTCDateTime",
    "Village",
    "db",
    "dialect_name",
    "utcnow",
]
