"""What the facilitator's screens read and write: households, meetings, call-backs."""

from sqlalchemy import case, func, select

from service import audit, callbacks
from service.models import Caregiver, Facilitator, Household, MeetingRsvp, db
from service.states import HouseholdStatus


def households(village_id):
    """(code, status, first caregiver's name) of the village's households, pending first."""
    first_name = (
        select(Caregiver.name)
        .where(Caregiver.household_id == Household.id)
        .order_by(Caregiver.id)
        .limit(1)
        .scalar_subquery()
    )
    pending_first = case((Household.status == HouseholdStatus.PENDING, 0), else_=1)
    return db.session.execute(
        select(Household.code, Household.status, first_name)
        .where(Household.village_id == village_id)
        .order_by(pending_first, Household.created_at.desc(), Household.id.desc())
    ).all()


def close_callback(callback_id, village_id, actor, now):
    """Mark a callback request done; False when it is not the village's or already done."""
    closed = callbacks.close_callback(callback_id, village_id, actor=actor, now=now)
    if closed:
        db.session.commit()
    return closed


def rsvp_counts(meeting_id):
    """{answer: how many} for a meeting."""
    rows = db.session.execute(
        select(MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.meeting_id == meeting_id)
        .group_by(MeetingRsvp.answer)
    )
    return dict(rows.all())


def set_facilitator_language(facilitator_id, lang, actor):
    """Store the language a facilitator chose on the menu."""
    db.session.get(Facilitator, facilitator_id).language = lang
    audit.record(actor, "facilitator.update", "facilitator", facilitator_id, language=lang)
    db.session.commit()
