"""HADIR codes: who came to the village's latest meeting; each code is checked on its own."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from messages.handlers.context import CommandError
from service import audit, codes
from service.households import household_by_code
from service.models import Attendance, Meeting, db
from service.states import MeetingStatus


def attend(ctx):
    """Record the valid codes; name every code that could not be recorded and why."""
    meeting = latest_meeting(ctx)
    typed = list(dict.fromkeys(ctx.parsed.digit_tokens))
    if not typed:
        raise CommandError("error.code_missing")
    recorded, problems = [], []
    for code in typed:
        problem = _record(ctx, meeting, code)
        (problems if problem else recorded).append(problem or code)
    if not recorded:
        raise CommandError("error.attend_none", problems="; ".join(problems))
    audit.record(ctx.actor, "attendance.record", "meeting", meeting.id, codes=recorded)
    key = "reply.attend.ok_with_problems" if problems else "reply.attend.ok"
    return ctx.text(
        key,
        number=meeting.id,
        count=len(recorded),
        codes=", ".join(recorded),
        problems="; ".join(problems),
    )


def latest_meeting(ctx):
    """The village's most recent meeting that has started, or today's if it is still to come."""
    local = ctx.local_now()
    end_of_today = datetime.combine(local.date() + timedelta(days=1), time.min, local.tzinfo)
    meeting = db.session.scalar(
        select(Meeting)
        .where(
            Meeting.village_id == ctx.village.id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at < end_of_today.astimezone(UTC),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    if meeting is None:
        raise CommandError("error.no_meeting")
    return meeting


def _record(ctx, meeting, code):
    """None when recorded (or already recorded), else the problem in words."""
    if not codes.is_valid(code):
        return ctx.text("problem.code_typo", code=code)
    household = household_by_code(code)
    if household is None:
        return ctx.text("problem.code_unknown", code=code)
    if household.village_id != ctx.village.id:
        return ctx.text("problem.code_other_village", code=code)
    already = db.session.scalar(
        select(Attendance.id).where(
            Attendance.meeting_id == meeting.id, Attendance.household_id == household.id
        )
    )
    if already is None:
        db.session.add(
            Attendance(
                meeting_id=meeting.id,
                household_id=household.id,
                recorded_by_id=ctx.facilitator.id,
                created_at=ctx.now,
            )
        )
    return None
