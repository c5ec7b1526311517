"""What the caregiver's screens read and write: lesson, children, answers, settings, call-back."""

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from menus.data.reads import prepared
from messages.replies import alert_text
from service import audit, callbacks
from service.enrollments import set_state_for
from service.households import add_child as add_household_child
from service.models import (
    Caregiver,
    Child,
    Enrollment,
    Household,
    LessonFeedback,
    MeetingRsvp,
    OutboxMessage,
    db,
)
from service.states import (
    LEFT_FOR_PHONE,
    EnrollmentState,
    HouseholdStatus,
    MessageKind,
    PersonStatus,
    Track,
)


@prepared
def _lesson_facts():
    enrollment = (Enrollment.caregiver_id == Caregiver.id) & (Enrollment.track == Track.CAREGIVER)
    return (
        select(
            Caregiver.name,
            Enrollment.position,
            Enrollment.last_lesson_id,
            Child.birth_year,
            Child.birth_month,
        )
        .outerjoin(Enrollment, enrollment)
        .outerjoin(Child, Child.household_id == Caregiver.household_id)
        .where(Caregiver.id == bindparam("id"))
    )


def lesson_facts(caregiver_id):
    """Name, position of the lesson sent last (0 when none yet), its id (None when not
    recorded), children's (year, month)."""
    rows = _lesson_facts(id=caregiver_id).all()
    if not rows:
        return "", 0, None, []
    births = [(row.birth_year, row.birth_month) for row in rows if row.birth_year]
    first = rows[0]
    return first.name, max((first.position or 0) - 1, 0), first.last_lesson_id, births


@prepared
def _received():
    return (
        select(OutboxMessage.id, OutboxMessage.lesson_id, OutboxMessage.body)
        .join(Caregiver, Caregiver.phone == OutboxMessage.to_phone)
        .where(
            Caregiver.id == bindparam("id"),
            OutboxMessage.kind == MessageKind.LESSON,
            OutboxMessage.status.in_(LEFT_FOR_PHONE),
        )
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
        .limit(bindparam("limit"))
    )


def received_lessons(caregiver_id, limit):
    """(outbox id, lesson id, body) of the last lessons that reached the caregiver's phone."""
    return _received(id=caregiver_id, limit=limit).all()


def received_lesson(caregiver_id, outbox_id, limit):
    """The body of one of those lessons, or None (someone else's, or no longer among them)."""
    rows = received_lessons(caregiver_id, limit)
    return next((row.body for row in rows if row.id == outbox_id), None)


def age(year, month, now):
    """Whole years since birth; an unknown month counts as January."""
    return now.year - year - (1 if month and now.month < month else 0)


@prepared
def _children():
    return (
        select(Child.birth_year, Child.birth_month)
        .where(Child.household_id == bindparam("household"))
        .order_by(Child.birth_year, Child.birth_month, Child.id)
    )


def children(household_id):
    """(birth year, birth month or None) of each child, oldest first."""
    return _children(household=household_id).all()


def add_child(household_id, year, month, actor):
    """Store a child the caregiver added on the menu."""
    household = db.session.get(Household, household_id)
    add_household_child(household, year, month, actor=actor)
    db.session.commit()


def save_feedback(caregiver_id, lesson_id, answer):
    """Record "did you try it?"; a second answer replaces the first."""
    _answer(LessonFeedback, answer, caregiver_id=caregiver_id, lesson_id=lesson_id)


def _answer(model, answer, **keys):
    """Insert or update the one answer row a person has for these keys."""
    for attempt in (1, 2):
        row = db.session.scalar(select(model).filter_by(**keys))
        if row is None:
            db.session.add(model(answer=answer, **keys))
        else:
            row.answer = answer
        try:
            db.session.commit()
            return
        except IntegrityError:  # a parallel hop inserted it first: update that row instead
            db.session.rollback()
            if attempt == 2:
                raise


@prepared
def _rsvp():
    return select(MeetingRsvp.answer).where(
        MeetingRsvp.meeting_id == bindparam("meeting"),
        MeetingRsvp.caregiver_id == bindparam("caregiver"),
    )


def rsvp_of(meeting_id, caregiver_id):
    """The caregiver's answer for a meeting, or None."""
    return _rsvp(meeting=meeting_id, caregiver=caregiver_id).scalar()


def save_rsvp(meeting_id, caregiver_id, answer):
    """Record "will you come?"; a second answer replaces the first."""
    _answer(MeetingRsvp, answer, meeting_id=meeting_id, caregiver_id=caregiver_id)


@prepared
def _settings():
    return select(Caregiver.status, Caregiver.preferred_time).where(Caregiver.id == bindparam("id"))


def caregiver_settings(caregiver_id):
    """(status, preferred time of day) of a caregiver."""
    return _settings(id=caregiver_id).first()


def set_lessons(caregiver_id, status, actor):
    """Pause or resume lessons: the caregiver's status and their caregiver enrollment.

    A household still waiting for its facilitator keeps its enrollment paused on resume.
    """
    caregiver = db.session.get(Caregiver, caregiver_id)
    caregiver.status = str(status)
    state = EnrollmentState.PAUSED
    if status == PersonStatus.ACTIVE and caregiver.household.status == HouseholdStatus.ACTIVE:
        state = EnrollmentState.ACTIVE
    set_state_for(Track.CAREGIVER, caregiver_id, state)
    audit.record(actor, f"caregiver.{status}", "caregiver", caregiver_id)
    db.session.commit()


def set_caregiver(caregiver_id, actor, **changes):
    """Store a caregiver's language or preferred time, audited."""
    caregiver = db.session.get(Caregiver, caregiver_id)
    for name, value in changes.items():
        setattr(caregiver, name, str(value))
    audit.record(actor, "caregiver.update", "caregiver", caregiver_id, **changes)
    db.session.commit()


def request_callback(caregiver_id, actor, now):
    """Open a call-back request and alert the facilitator; False when one is already open."""
    opened = callbacks.request_callback(
        caregiver_id, actor=actor, now=now, alert=alert_text("alert.callback")
    )
    db.session.commit()
    return opened
