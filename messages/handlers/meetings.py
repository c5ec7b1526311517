"""PERTEMUAN and BATAL: the village's group meetings, typed in local time, stored in UTC."""

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from messages.grammar import Kind
from messages.handlers.context import CommandError
from service import audit
from service.models import Meeting, db
from service.states import MeetingStatus, Track

log = logging.getLogger("asuh.sms")

# Words around the place that are not the place ("di balai desa", "jam 15.00 WIB").
PLACE_FILLERS = frozenset(
    ["di", "at", "jam", "pukul", "pkl", "tgl", "tanggal", "on", "wib", "wita", "wit", "hari"]
)
MAX_AHEAD = timedelta(days=366)
MAX_PLACE = 160


def schedule(ctx):
    """PERTEMUAN date time place: a meeting number to give out and to cancel with."""
    local_date = _meeting_date(ctx)
    hour, minute = _meeting_time(ctx)
    place = _place(ctx)
    zone = ZoneInfo(ctx.village.timezone)
    starts_local = datetime.combine(local_date, datetime.min.time(), zone).replace(
        hour=hour, minute=minute
    )
    starts_at = starts_local.astimezone(UTC)
    if starts_at <= ctx.now:
        raise CommandError("error.meeting_past", when=_when(ctx, starts_local))
    if starts_at - ctx.now > MAX_AHEAD:
        raise CommandError("error.meeting_too_far", when=_when(ctx, starts_local))
    meeting = _create(ctx, starts_at, place)
    when = _when(ctx, starts_local)
    return ctx.text("reply.meeting.ok", number=meeting.id, when=when, place=place)


def _meeting_date(ctx):
    """The date typed; without a year it is the next such day (5/1 typed in December)."""
    dates = ctx.parsed.of(Kind.DATE)
    if not dates:
        raise CommandError("error.date_missing")
    if dates[0].value is None:
        raise CommandError("error.date_invalid", date=dates[0].text)
    day, month, year = dates[0].value
    if year is not None:
        return date(year, month, day)
    today = ctx.local_now().date()
    for year in range(today.year, today.year + 9):  # 29/2 waits for a leap year
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise CommandError("error.date_invalid", date=dates[0].text)


def _meeting_time(ctx):
    times = ctx.parsed.values(Kind.TIME)
    if not times:
        raise CommandError("error.time_missing")
    return times[0]


def _place(ctx):
    """The words (and numbers, "RT 03") left over, fillers dropped."""
    kinds = (Kind.WORD, Kind.RELATIONSHIP, Kind.NUMBER)
    words = [t.text for t in ctx.parsed.of(*kinds) if t.text.lower() not in PLACE_FILLERS]
    if not words:
        raise CommandError("error.place_missing")
    return " ".join(words)[:MAX_PLACE]


def _when(ctx, local):
    weekday = ctx.text(f"weekday.{local.weekday()}")
    return f"{weekday} {local:%d/%m/%Y} {local:%H:%M}"


def _create(ctx, starts_at, place):
    meeting = Meeting(
        village_id=ctx.village.id,
        starts_at=starts_at,
        place=place,
        topic=_next_topic(ctx),
        status=MeetingStatus.SCHEDULED,
        created_by_id=ctx.facilitator.id,
        created_at=ctx.now,
    )
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        ctx.actor,
        "meeting.schedule",
        "meeting",
        meeting.id,
        starts_at=starts_at.isoformat(),
        place=place,
        topic=meeting.topic,
    )
    return meeting


def _next_topic(ctx):
    """The facilitator-track session after the ones this village has already held or planned."""
    held = db.session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.village_id == ctx.village.id, Meeting.status == MeetingStatus.SCHEDULED
        )
    )
    try:
        from messages.lessons import load_catalog

        sessions = load_catalog().lessons(str(Track.FACILITATOR), ctx.village.language)
    except Exception:  # noqa: BLE001 - a meeting without a topic is still a meeting
        log.warning("no facilitator lessons available for a meeting topic", exc_info=True)
        return None
    return sessions[held % len(sessions)].id if sessions else None


def cancel(ctx):
    """BATAL number: the scheduler sees the status and tells the caregivers."""
    meeting = _own_meeting(ctx)
    when = _when(ctx, meeting.starts_at.astimezone(ZoneInfo(ctx.village.timezone)))
    if meeting.status == MeetingStatus.CANCELLED:
        return ctx.text("reply.cancel.already", number=meeting.id, when=when)
    if meeting.starts_at <= ctx.now:
        raise CommandError("error.meeting_over", number=meeting.id, when=when)
    meeting.status, meeting.cancelled_at = MeetingStatus.CANCELLED, ctx.now
    audit.record(ctx.actor, "meeting.cancel", "meeting", meeting.id)
    return ctx.text("reply.cancel.ok", number=meeting.id, when=when)


def _own_meeting(ctx):
    numbers = ctx.parsed.digit_tokens
    if not numbers:
        raise CommandError("error.meeting_number_missing")
    number = numbers[0]
    meeting = db.session.get(Meeting, int(number)) if len(number) <= 9 else None
    if meeting is None or meeting.village_id != ctx.village.id:
        raise CommandError("error.meeting_unknown", number=number)
    return meeting
