"""Week-by-week series for the charts, each one SQL statement of conditional sums."""

from dataclasses import dataclass

from sqlalchemy import Integer, case, cast, func, literal, select

from service.models import Enrollment, OutboxMessage, UTCDateTime, db, utcnow
from service.states import MessageStatus
from service.web.admin.periods import week_starts

RATE_WINDOW_DAYS = 28
WEEK_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class WeekPoint:
    """One week of a series: its Monday (UTC bound) and the values counted in it."""

    start: object
    values: tuple


def week_number(column, start):
    """SQL for whole weeks from `start` to `column` (0 in the first week), per dialect."""
    if db.session.get_bind().dialect.name == "sqlite":  # whole seconds: no float rounding
        seconds = cast(func.strftime("%s", column), Integer) - int(start.timestamp())
        return cast(seconds // WEEK_SECONDS, Integer)
    since = literal(start, UTCDateTime)
    return cast(func.floor(func.extract("epoch", column - since) / WEEK_SECONDS), Integer)


def _weekly(starts, *columns, where=(), timestamp):
    """{week index: (counts...)} for rows whose `timestamp` falls in one of the weeks."""
    week = week_number(timestamp, starts[0]).label("week")
    query = select(week, *columns).where(timestamp >= starts[0], *where).group_by(week)
    return {row[0]: tuple(row[1:]) for row in db.session.execute(query)}


def sent_and_delivered(now=None, weeks=12, village_id=None):
    """SMS sent per week and how many of them were delivered, for the last `weeks` weeks."""
    starts = week_starts(now or utcnow(), weeks)
    delivered = func.sum(case((OutboxMessage.status == MessageStatus.DELIVERED, 1), else_=0))
    where = [] if village_id is None else [OutboxMessage.village_id == village_id]
    counts = _weekly(
        starts,
        func.count(OutboxMessage.id),
        delivered,
        where=where,
        timestamp=OutboxMessage.sent_at,
    )
    return [WeekPoint(start, counts.get(i, (0, 0))) for i, start in enumerate(starts)]


def enrollments_over_time(now=None, weeks=12):
    """New enrollments per week and the running total at each week's end."""
    starts = week_starts(now or utcnow(), weeks)
    running = db.session.scalar(
        select(func.count(Enrollment.id)).where(Enrollment.created_at < starts[0])
    )
    counts = _weekly(starts, func.count(Enrollment.id), timestamp=Enrollment.created_at)
    points = []
    for i, start in enumerate(starts):
        new = counts.get(i, (0,))[0]
        running += new
        points.append(WeekPoint(start, (new, running)))
    return points


def rate_counts(since, until, village_id=None):
    """A grouped select of (village_id, sent, delivered) for SMS sent in [since, until)."""
    delivered = case((OutboxMessage.status == MessageStatus.DELIVERED, 1), else_=0)
    return (
        select(
            OutboxMessage.village_id.label("village_id"),
            func.count(OutboxMessage.id).label("sent"),
            func.sum(delivered).label("delivered"),
        )
        .where(OutboxMessage.sent_at >= since, OutboxMessage.sent_at < until)
        .where(*([] if village_id is None else [OutboxMessage.village_id == village_id]))
        .group_by(OutboxMessage.village_id)
    )
