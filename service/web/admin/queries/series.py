"""Week-by-week series for the charts, each one SQL statement of conditional sums."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, func, select

from service.models import Enrollment, OutboxMessage, Village, db, utcnow
from service.states import MessageStatus
from service.web.admin.periods import week_starts

RATE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class WeekPoint:
    """One week of a series: its Monday (UTC bound) and the values counted in it."""

    start: object
    values: tuple


def _in_week(column, start, *extra):
    """1 when `column` falls in the week starting at `start` (and `extra` holds), else 0."""
    end = start + timedelta(weeks=1)
    return func.coalesce(
        func.sum(case((and_(column >= start, column < end, *extra), 1), else_=0)), 0
    )


def sent_and_delivered(now=None, weeks=12, village_id=None):
    """SMS sent per week and how many of them were delivered, for the last `weeks` weeks."""
    starts = week_starts(now or utcnow(), weeks)
    delivered = OutboxMessage.status == MessageStatus.DELIVERED
    columns = []
    for start in starts:
        columns += [
            _in_week(OutboxMessage.sent_at, start),
            _in_week(OutboxMessage.sent_at, start, delivered),
        ]
    query = select(*columns).where(OutboxMessage.sent_at >= starts[0])
    if village_id is not None:
        query = query.where(OutboxMessage.village_id == village_id)
    row = db.session.execute(query).one()
    return [WeekPoint(start, (row[2 * i], row[2 * i + 1])) for i, start in enumerate(starts)]


def enrollments_over_time(now=None, weeks=12):
    """New enrollments per week and the running total at each week's end."""
    starts = week_starts(now or utcnow(), weeks)
    before = select(func.count(Enrollment.id)).where(Enrollment.created_at < starts[0])
    columns = [_in_week(Enrollment.created_at, start) for start in starts]
    row = db.session.execute(select(before.scalar_subquery(), *columns)).one()
    running, points = row[0], []
    for start, new in zip(starts, row[1:], strict=True):
        running += new
        points.append(WeekPoint(start, (new, running)))
    return points


@dataclass(frozen=True)
class VillageRate:
    """Delivery of one village's SMS over the rate window."""

    village_id: int
    name: str
    sent: int
    delivered: int

    @property
    def rate(self):
        return self.delivered / self.sent if self.sent else None


def delivery_by_village(now=None, days=RATE_WINDOW_DAYS):
    """Every village's sent and delivered SMS over the last `days` days, worst rate first."""
    now = now or utcnow()
    counts = rate_counts(now - timedelta(days=days), now).subquery()
    rows = db.session.execute(
        select(Village.id, Village.name, counts.c.sent, counts.c.delivered)
        .outerjoin(counts, counts.c.village_id == Village.id)
        .order_by(Village.name)
    )
    found = [VillageRate(vid, name, sent or 0, done or 0) for vid, name, sent, done in rows]
    return sorted(found, key=lambda v: (v.rate is None, v.rate or 0, v.name))


def rate_counts(since, until):
    """A grouped select of (village_id, sent, delivered) for SMS sent in [since, until)."""
    delivered = case((OutboxMessage.status == MessageStatus.DELIVERED, 1), else_=0)
    return (
        select(
            OutboxMessage.village_id.label("village_id"),
            func.count(OutboxMessage.id).label("sent"),
            func.sum(delivered).label("delivered"),
        )
        .where(OutboxMessage.sent_at >= since, OutboxMessage.sent_at < until)
        .group_by(OutboxMessage.village_id)
    )
