"""STOP/BERHENTI and MULAI/START, from anyone: nothing more is sent until they say MULAI."""

from sqlalchemy import delete, select

from messages.handlers.context import Reply
from service import audit
from service.enrollments import PERSON_COLUMN
from service.models import Enrollment, OptOut, db
from service.outbox import cancel_to, is_opted_out
from service.states import EnrollmentState, HouseholdStatus, PersonStatus, Track

ON_TRACK = (EnrollmentState.ACTIVE, EnrollmentState.PAUSED)
REACHABLE = (PersonStatus.ACTIVE, PersonStatus.PAUSED)


def stop(ctx):
    """Opt the number out, cancel what is queued for it, and confirm exactly once."""
    phone = ctx.sender.phone
    if phone is None or is_opted_out(phone):
        return None  # a number we cannot answer, or a repeated STOP: no second confirmation
    db.session.add(OptOut(phone=phone, created_at=ctx.now))
    cancelled = cancel_to([phone], "opted out", ctx.now)
    people = _people(ctx.sender)
    for track, person in people:
        _stop_person(track, person)
    audit.record(ctx.actor, "optout.stop", "opt_out", None, phone=phone, cancelled=cancelled)
    return Reply(ctx.text("reply.stop.ok"), respect_opt_out=False)


def start(ctx):
    """Lift the opt-out and put the person back on their tracks."""
    phone = ctx.sender.phone
    if phone is None:
        return None
    if not is_opted_out(phone):
        return ctx.text("reply.start.already")
    db.session.execute(delete(OptOut).where(OptOut.phone == phone))
    for track, person in _people(ctx.sender):
        _resume_person(track, person, ctx.now)
    audit.record(ctx.actor, "optout.start", "opt_out", None, phone=phone)
    return Reply(ctx.text("reply.start.ok"), respect_opt_out=False)


def _people(sender):
    """(track, person) for every role this number has."""
    roles = (
        (Track.FACILITATOR, sender.facilitator),
        (Track.CAREGIVER, sender.caregiver),
        (Track.MIGRANT, sender.migrant),
        (Track.ADOLESCENT, sender.teen),
    )
    return [(track, person) for track, person in roles if person is not None]


def _enrollments(track, person):
    column = getattr(Enrollment, PERSON_COLUMN[track])
    return db.session.scalars(
        select(Enrollment).where(Enrollment.track == str(track), column == person.id)
    ).all()


def _standing(person):
    """The person's status; those without one (facilitators, teens) follow their household."""
    if hasattr(person, "status"):
        return person.status
    household = getattr(person, "household", None)
    if household is not None and household.status == HouseholdStatus.INACTIVE:
        return PersonStatus.INACTIVE
    return None


def _stop_person(track, person):
    if _standing(person) not in (*REACHABLE, None):
        return  # removed households stay removed
    if hasattr(person, "status"):
        person.status = PersonStatus.STOPPED
    for enrollment in _enrollments(track, person):
        if enrollment.state in ON_TRACK:
            enrollment.state = EnrollmentState.STOPPED


def _resume_person(track, person, now):
    if _standing(person) not in (PersonStatus.STOPPED, None):
        return
    if hasattr(person, "status"):
        person.status = PersonStatus.ACTIVE
    for enrollment in _enrollments(track, person):
        if enrollment.state == EnrollmentState.STOPPED:
            enrollment.state, enrollment.consecutive_failures = EnrollmentState.ACTIVE, 0
            enrollment.next_due_at = max(enrollment.next_due_at or now, now)
