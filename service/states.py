"""Every status and choice the domain stores, declared once as str enums."""

from enum import StrEnum


class HouseholdStatus(StrEnum):
    PENDING = "pending"  # registered by a caregiver over USSD, awaiting the facilitator
    ACTIVE = "active"
    INACTIVE = "inactive"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # lessons paused by the person; other SMS still allowed
    STOPPED = "stopped"  # said STOP: no SMS at all
    INACTIVE = "inactive"  # household removed or number moved


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GRANDMOTHER = "grandmother"
    GRANDFATHER = "grandfather"
    AUNT = "aunt"
    UNCLE = "uncle"
    SIBLING = "sibling"
    OTHER = "other"


class TimeOfDay(StrEnum):
    MORNING = "morning"
    MIDDAY = "midday"
    EVENING = "evening"


class Track(StrEnum):
    CAREGIVER = "caregiver"
    MIGRANT = "migrant"
    ADOLESCENT = "adolescent"
    FACILITATOR = "facilitator"


class EnrollmentState(StrEnum):
    PENDING_CONSENT = "pending_consent"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RsvpAnswer(StrEnum):
    COMING = "coming"
    NOT_COMING = "not_coming"


class FeedbackAnswer(StrEnum):
    TRIED = "tried"
    NOT_YET = "not_yet"


class CallbackStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class MessageKind(StrEnum):
    LESSON = "lesson"
    REMINDER = "reminder"
    REPLY = "reply"
    WELCOME = "welcome"
    ALERT = "alert"
    SUMMARY = "summary"


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # retried for as long as it was useful, never sent


# An SMS that left for the phone: the gateway took it, and may have reported it delivered.
LEFT_FOR_PHONE = (str(MessageStatus.SENT), str(MessageStatus.DELIVERED))


class InboundState(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


class AdminRole(StrEnum):
    ADMIN = "admin"
    VIEWER = "viewer"


class Channel(StrEnum):
    SMS = "sms"
    USSD = "ussd"
    CLI = "cli"
    ADMIN = "admin"
    SEED = "seed"


class Concern(StrEnum):
    """What an inbound SMS may be reporting, most urgent first (the reply fits the first)."""

    SUICIDE = "suicide"
    MARRIAGE = "marriage"  # a child being married off
    HARM = "harm"
