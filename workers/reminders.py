"""Meeting reminders, and the notice that follows when a meeting is cancelled.

Every active caregiver of the village (paused lessons included; stopped, opted-out and
inactive households excluded) gets a reminder the day before at their preferred time and
one two hours before. Rows are written ahead, as soon as the meeting is within
REMINDER_HORIZON, with `send_after`; the send sweep sends them when due. Keys are
`reminder:<meeting>:<caregiver>:day|2h`.

A cancelled meeting (status cancelled, however it was set) has its pending reminders
cancelled, and each caregiver who was already sent an SMS about it (a reminder or any other
row linked to the meeting) gets one notice, `cancel:<meeting>:<caregiver>`. Caregivers who
heard nothing by SMS get nothing: they have nothing to unlearn.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from messages.lessons import load_catalog
from messages.notices import MAX_PLACE, notice_text, short, when_values
from service.models import Meeting, OutboxMessage, db, utcnow
from service.outbox import cancel_unsent, insert_rows, meeting_row, unsent
from service.states import LEFT_FOR_PHONE, MeetingStatus, MessageKind
from workers.audience import REMINDED, rhythm_for, village_caregivers, zone_for
from workers.context import job
from workers.schedule import day_before_reminder, out_of_quiet, soon_reminder, zone
from workers.transactions import in_transaction

REMINDER_HORIZON = timedelta(days=3)
CANCEL_LOOKBACK = timedelta(days=1)
MOMENTS = {"day": day_before_reminder, "2h": soon_reminder}


def reminder_key(meeting_id, caregiver_id, moment):
    return f"reminder:{meeting_id}:{caregiver_id}:{moment}"


def _meeting_ids(status, start, end):
    query = select(Meeting.id).where(
        Meeting.status == status, Meeting.starts_at > start, Meeting.starts_at <= end
    )
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def _for_each_meeting(ids, work, now):
    """Run `work` per meeting in its own transaction; the outbox kicks the sender at each commit."""
    return sum(in_transaction(work, meeting_id, now) for meeting_id in ids)


@job
def queue_reminders(now=None):
    """Write the reminders of every meeting starting within the horizon; returns rows written."""
    now = now or utcnow()
    ids = _meeting_ids(MeetingStatus.SCHEDULED, now, now + REMINDER_HORIZON)
    return _for_each_meeting(ids, _remind_meeting, now)


@job
def queue_cancellations(now=None):
    """Cancel reminders of cancelled meetings and notify who had heard; returns notices."""
    now = now or utcnow()
    ids = _meeting_ids(MeetingStatus.CANCELLED, now - CANCEL_LOOKBACK, now + timedelta(days=3650))
    return _for_each_meeting(ids, _cancel_meeting, now)


# ---------------------------------------------------------------- reminders


@dataclass
class MeetingText:
    """Renders a meeting's texts once per language, so identical bodies batch together."""

    meeting: Meeting

    def body(self, key, language):
        village = self.meeting.village
        local = self.meeting.starts_at.astimezone(zone(village.timezone))
        topic = self.topic_title(language)
        if key == "reminder.day" and topic is None:
            key = "reminder.day.no_topic"
        return notice_text(
            key,
            language,
            place=short(self.meeting.place, MAX_PLACE),
            topic=topic,
            ussd=current_app.config["USSD_SERVICE_CODE"],
            **when_values(local, language),
        )

    def topic_title(self, language):
        """The facilitator session's title for the meeting's topic id, or None."""
        if not self.meeting.topic:
            return None
        catalog = load_catalog()
        for lesson in catalog.lessons("facilitator", language):  # falls back title by title
            if lesson.id == self.meeting.topic:
                return lesson.title
        return None


def _remind_meeting(meeting_id, now):
    """Write the missing reminders of one meeting; returns how many."""
    meeting = db.session.get(Meeting, meeting_id)
    people = village_caregivers(meeting.village_id, REMINDED)
    _cancel_unwanted(meeting.id, {person.id for person in people})
    written = _existing_keys(meeting.id)
    text, rows = MeetingText(meeting), []
    for person in people:
        rows += _person_reminders(meeting, person, text, written, now)
    return len(insert_rows(rows))


def _person_reminders(meeting, person, text, written, now):
    """The reminder rows one caregiver still needs for one meeting."""
    config = current_app.config
    rhythm = rhythm_for(
        config, zone_for(person.phone, meeting.village.timezone), person.preferred_time
    )
    rows = []
    for moment, when in MOMENTS.items():
        key = reminder_key(meeting.id, person.id, moment)
        at = None if key in written else when(meeting.starts_at, rhythm, now)
        if at is None:
            continue
        body = text.body("reminder.day" if moment == "day" else "reminder.soon", person.language)
        rows.append(
            meeting_row(
                MessageKind.REMINDER,
                key,
                meeting,
                person,
                body,
                send_after=at if at > now else None,
            )
        )
    return rows


def _existing_keys(meeting_id):
    """Keys already written for a meeting, whatever became of them."""
    query = select(OutboxMessage.idempotency_key).where(OutboxMessage.meeting_id == meeting_id)
    return set(db.session.scalars(query))


def _reminders_of(meeting_id):
    """The reminder rows of a meeting (the outbox adds: unsent, no sender holds them)."""
    return (
        OutboxMessage.meeting_id == meeting_id,
        OutboxMessage.kind == MessageKind.REMINDER,
        OutboxMessage.idempotency_key.like(f"reminder:{meeting_id}:%"),
    )


def _cancel_unwanted(meeting_id, wanted_caregiver_ids):
    """Cancel pending reminders of caregivers who left, stopped or opted out since writing."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.idempotency_key).where(
            *_reminders_of(meeting_id), *unsent()
        )
    )
    stale = [row_id for row_id, key in rows if int(key.split(":")[2]) not in wanted_caregiver_ids]
    if stale:
        cancel_unsent("recipient no longer reachable", OutboxMessage.id.in_(stale))


# ---------------------------------------------------------------- cancellations


def _cancel_meeting(meeting_id, now):
    """Cancel a cancelled meeting's pending reminders and notify who had heard of it."""
    cancel_unsent("meeting cancelled", *_reminders_of(meeting_id))
    meeting = db.session.get(Meeting, meeting_id)
    if meeting.starts_at <= now:
        return 0
    heard = _phones_told(meeting_id)
    written = _existing_keys(meeting_id)
    text, rows = MeetingText(meeting), []
    for person in village_caregivers(meeting.village_id, REMINDED):
        key = f"cancel:{meeting_id}:{person.id}"
        if person.phone in heard and key not in written:
            rows.append(_notice(meeting, person, text, key, now))
    return len(insert_rows(rows))


def _notice(meeting, person, text, key, now):
    """The cancellation notice row: at once, or when the person's quiet hours end."""
    rhythm = rhythm_for(current_app.config, zone_for(person.phone, meeting.village.timezone), None)
    at = out_of_quiet(now, rhythm)
    body = text.body("meeting.cancelled", person.language)
    return meeting_row(
        MessageKind.REMINDER, key, meeting, person, body, send_after=at if at > now else None
    )


def _phones_told(meeting_id):
    """Numbers that were sent an SMS about the meeting (not counting cancellation notices)."""
    query = select(OutboxMessage.to_phone).where(
        OutboxMessage.meeting_id == meeting_id,
        OutboxMessage.status.in_(LEFT_FOR_PHONE),
        OutboxMessage.idempotency_key.not_like(f"cancel:{meeting_id}:%"),
    )
    return set(db.session.scalars(query))
