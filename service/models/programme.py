"""What the programme does with people: lesson enrollments, meetings, feedback, callbacks."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.models.base import UTCDateTime, db, utcnow
from service.models.people import Caregiver, Child, Facilitator, Household, MigrantParent, Village
from service.states import CallbackStatus, EnrollmentState, MeetingStatus


class Enrollment(db.Model):
    """One recipient on one lesson track; the row the scheduler reads and advances."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    track: Mapped[str] = mapped_column(String(16))
    caregiver_id: Mapped[int | None] = mapped_column(ForeignKey("caregivers.id"), index=True)
    migrant_parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("migrant_parents.id"), index=True
    )
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # index of the next lesson to send
    # The id of the last lesson written: where to carry on when the place's sequence changed
    # under the position (a pack lesson added or a lesson removed mid-cycle). NULL before 0007.
    last_lesson_id: Mapped[str | None] = mapped_column(String(32))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default=EnrollmentState.ACTIVE)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    caregiver: Mapped[Caregiver | None] = relationship()
    migrant_parent: Mapped[MigrantParent | None] = relationship()
    child: Mapped[Child | None] = relationship()
    facilitator: Mapped[Facilitator | None] = relationship()

    __table_args__ = (Index("ix_enrollments_due", "state", "next_due_at"),)


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)  # the "meeting number" facilitators use
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(160))
    topic: Mapped[str | None] = mapped_column(String(32))  # a facilitator-track lesson id
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    village: Mapped[Village] = relationship()


class MeetingRsvp(db.Model):
    __tablename__ = "meeting_rsvps"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    caregiver_id: Mapped[int] = mapped_column(ForeignKey("caregivers.id"))
    answer: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("meeting_id", "caregiver_id"),)


class Attendance(db.Model):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household: Mapped[Household] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "household_id"),)


class LessonFeedback(db.Model):
    """A caregiver's answer to "did you try it?" for one lesson."""

    __tablename__ = "lesson_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    caregiver_id: Mapped[int] = mapped_column(ForeignKey("caregivers.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CallbackRequest(db.Model):
    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    caregiver_id: Mapped[int] = mapped_column(ForeignKey("caregivers.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CallbackStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    caregiver: Mapped[Caregiver] = relationship()
