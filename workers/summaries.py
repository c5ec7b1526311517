"""Summaries: the day after a meeting for caregivers who missed it, and weekly for facilitators.

Next-day summaries (`summary:<meeting>:<caregiver>`) go to active caregivers of households
registered before the meeting with no Attendance row for it, from their preferred time on the
local day after. The text is the `summary` of the facilitator-track session named by
Meeting.topic, or a generic "we missed you" when the meeting had no topic.

Weekly summaries (`weekly:<facilitator>:<iso-week>`) go once per local ISO week to every
active facilitator, from Monday morning in the village's zone: new households and failed
deliveries of the last seven days, open callback requests, and the next meeting.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from messages.lessons import fill_placeholders, load_catalog, own_services
from messages.notices import MAX_PLACE, MAX_VILLAGE, notice_text, short, when_values
from service.models import (
    Attendance,
    CallbackRequest,
    Facilitator,
    Household,
    Meeting,
    OptOut,
    OutboxMessage,
    Village,
    db,
    utcnow,
)
from service.outbox import insert_rows, meeting_row, outbox_row
from service.states import CallbackStatus, MeetingStatus, MessageKind, MessageStatus, TimeOfDay
from workers.audience import TAUGHT, rhythm_for, village_caregivers, zone_for
from workers.context import job
from workers.schedule import SUMMARY_GRACE, iso_week, next_day_summary, weekly_slot, zone
from workers.transactions import in_transaction

SUMMARY_LOOKBACK = timedelta(days=1) + SUMMARY_GRACE + timedelta(days=1)
WEEK = timedelta(days=7)


@job
def queue_summaries(now=None):
    """Both kinds of summary due at `now`; returns rows written."""
    now = now or utcnow()
    return queue_meeting_summaries(now) + queue_weekly_summaries(now)


# ---------------------------------------------------------------- after a meeting


def queue_meeting_summaries(now):
    """Next-day summaries of recent meetings for caregivers who missed them."""
    query = select(Meeting.id).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > now - SUMMARY_LOOKBACK,
        Meeting.starts_at <= now,
    )
    written = 0
    for meeting_id in db.session.scalars(query.order_by(Meeting.id)).all():
        written += in_transaction(_summarise_meeting, meeting_id, now)
    return written


def _summarise_meeting(meeting_id, now):
    meeting = db.session.get(Meeting, meeting_id)
    attended = set(
        db.session.scalars(
            select(Attendance.household_id).where(Attendance.meeting_id == meeting_id)
        )
    )
    written = _existing(OutboxMessage.idempotency_key.like(f"summary:{meeting_id}:%"))
    rows, bodies = [], {}
    for person in village_caregivers(meeting.village_id, TAUGHT, meeting.starts_at):
        key = f"summary:{meeting_id}:{person.id}"
        if person.household_id in attended or key in written:
            continue
        zone_name = zone_for(person.phone, meeting.village.timezone)
        rhythm = rhythm_for(current_app.config, zone_name, person.preferred_time)
        if next_day_summary(meeting.starts_at, rhythm, now):
            if person.language not in bodies:
                bodies[person.language] = summary_text(meeting, person.language)
            rows.append(
                meeting_row(MessageKind.SUMMARY, key, meeting, person, bodies[person.language])
            )
    return len(insert_rows(rows))


def summary_text(meeting, language):
    """The topic's caregiver summary (a regional session's too), or 'we missed you'; a summary
    the language lacks comes along its fallback chain."""
    catalog, village = load_catalog(), meeting.village
    values = {"village": village.name, "ussd": current_app.config["USSD_SERVICE_CODE"]}
    lesson = catalog.find_along(meeting.topic, language) if meeting.topic else None
    if lesson is not None and lesson.summary:
        defaults = {"hotline": current_app.config["CHILD_HOTLINE"]}
        services = catalog.local_services(
            village.name, village.province, own_services(village), defaults
        )
        return fill_placeholders(lesson.summary, **services, **values)
    values["village"] = short(values["village"], MAX_VILLAGE)
    return notice_text("meeting.missed", language, **values)


def _existing(condition):
    return set(db.session.scalars(select(OutboxMessage.idempotency_key).where(condition)))


# ---------------------------------------------------------------- weekly, for facilitators


def queue_weekly_summaries(now):
    """This week's summary for every active facilitator whose Monday morning has come."""
    facilitators = db.session.execute(
        select(Facilitator.id, Village.timezone)
        .join(Village, Village.id == Facilitator.village_id)
        .outerjoin(OptOut, OptOut.phone == Facilitator.phone)
        .where(Facilitator.active.is_(True), OptOut.id.is_(None))
        .order_by(Facilitator.id)
    ).all()
    keys = {fid: f"weekly:{fid}:{iso_week(now, tz)}" for fid, tz in facilitators}
    written = _existing(OutboxMessage.idempotency_key.in_(list(keys.values()))) if keys else set()
    total = 0
    for facilitator_id, key in keys.items():
        if key not in written:
            total += in_transaction(_weekly, facilitator_id, key, now)
    return total


def _weekly(facilitator_id, key, now):
    facilitator = db.session.get(Facilitator, facilitator_id)
    zone_name = zone_for(facilitator.phone, facilitator.village.timezone)
    rhythm = rhythm_for(current_app.config, zone_name, TimeOfDay.MORNING)
    slot = weekly_slot(rhythm, now)
    if slot is None or facilitator.created_at > slot:
        return 0
    body = weekly_text(facilitator.village, facilitator.language, now)
    row = outbox_row(
        key,
        facilitator.phone,
        body,
        MessageKind.SUMMARY,
        language=facilitator.language,
        village_id=facilitator.village_id,
    )
    return len(insert_rows([row]))


def weekly_text(village, language, now):
    """The facilitator's week in one SMS."""
    since = now - WEEK
    return notice_text(
        "weekly.summary",
        language,
        village=short(village.name, MAX_VILLAGE),
        households=_count(
            Household.id, Household.village_id == village.id, Household.created_at >= since
        ),
        failed=_count(
            OutboxMessage.id,
            OutboxMessage.village_id == village.id,
            OutboxMessage.status == MessageStatus.FAILED,
            OutboxMessage.updated_at >= since,
        ),
        callbacks=_count(
            CallbackRequest.id,
            CallbackRequest.village_id == village.id,
            CallbackRequest.status == CallbackStatus.OPEN,
        ),
        next=_next_meeting_text(village, language, now),
    )


def _count(column, *conditions):
    return db.session.scalar(select(func.count(column)).where(*conditions)) or 0


def _next_meeting_text(village, language, now):
    meeting = db.session.scalar(
        select(Meeting)
        .where(
            Meeting.village_id == village.id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    if meeting is None:
        return notice_text("weekly.no_meeting", language)
    local = meeting.starts_at.astimezone(zone(village.timezone))
    place = short(meeting.place, MAX_PLACE)
    return notice_text("weekly.next_meeting", language, place=place, **when_values(local, language))
