"""The headline numbers of the overview page."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from service.models import (
    Attendance,
    Caregiver,
    Household,
    Meeting,
    MigrantParent,
    OptOut,
    OutboxMessage,
    db,
    utcnow,
)
from service.states import HouseholdStatus, MeetingStatus, MessageKind, MessageStatus, PersonStatus
from service.web.admin.periods import month_start, week_start


@dataclass(frozen=True)
class Overview:
    """What an officer wants to know first, as plain numbers."""

    households: int
    pending_households: int
    active_caregivers: int
    migrant_parents: int
    lessons_sent: int
    lessons_delivered: int
    lessons_failed: int
    opt_outs: int
    opt_outs_this_week: int
    meetings: int
    attendance: int
    sms_sent_month: int
    sms_cost_month: float
    currency: str
    expired_week: int = 0
    reports_missing: bool = False

    @property
    def delivery_rate(self):
        """Share of this week's lessons confirmed delivered, or None before any were sent."""
        return self.lessons_delivered / self.lessons_sent if self.lessons_sent else None


def _count(model, *conditions):
    return select(func.count(model.id)).where(*conditions).scalar_subquery()


def people_counts():
    """Households (active and pending), active caregivers and migrant parents, one query."""
    active_household = Household.status == HouseholdStatus.ACTIVE
    caregivers = (
        select(func.count(Caregiver.id))
        .join(Household, Household.id == Caregiver.household_id)
        .where(Caregiver.status == PersonStatus.ACTIVE, active_household)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            _count(Household, active_household),
            _count(Household, Household.status == HouseholdStatus.PENDING),
            caregivers,
            _count(MigrantParent, MigrantParent.status == PersonStatus.ACTIVE),
        )
    ).one()
    return dict(
        zip(
            ("households", "pending_households", "active_caregivers", "migrant_parents"),
            row,
            strict=True,
        )
    )


def lesson_counts(since, until):
    """Lessons sent in [since, until), and how many of those were delivered or failed."""
    status = OutboxMessage.status
    row = db.session.execute(
        select(
            func.count(OutboxMessage.id),
            func.coalesce(func.sum(case((status == MessageStatus.DELIVERED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((status == MessageStatus.FAILED, 1), else_=0)), 0),
        ).where(
            OutboxMessage.kind == MessageKind.LESSON,
            OutboxMessage.sent_at >= since,
            OutboxMessage.sent_at < until,
        )
    ).one()
    return {"lessons_sent": row[0], "lessons_delivered": row[1], "lessons_failed": row[2]}


def month_cost(since, until):
    """SMS sent this month and what the gateway charged for them."""
    sent, cost = db.session.execute(
        select(
            func.count(OutboxMessage.id), func.coalesce(func.sum(OutboxMessage.cost_amount), 0)
        ).where(OutboxMessage.sent_at >= since, OutboxMessage.sent_at < until)
    ).one()
    currency = db.session.scalar(
        select(OutboxMessage.cost)
        .where(OutboxMessage.cost.is_not(None))
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    code = (currency or "").split(" ")[0] if currency and " " in currency else "IDR"
    return {"sms_sent_month": sent, "sms_cost_month": float(cost), "currency": code}


def meeting_counts(since, until):
    """Meetings held in [since, until) (not cancelled) and the households that attended them."""
    held = (
        select(Meeting.id)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= since,
            Meeting.starts_at < until,
        )
        .subquery()
    )
    meetings, attendance = db.session.execute(
        select(
            select(func.count()).select_from(held).scalar_subquery(),
            select(func.count(Attendance.id))
            .where(Attendance.meeting_id.in_(select(held.c.id)))
            .scalar_subquery(),
        )
    ).one()
    return {"meetings": meetings, "attendance": attendance}


def opt_out_counts(since):
    """Numbers that said STOP: in all, and since the week began."""
    total, recent = db.session.execute(
        select(_count(OptOut), _count(OptOut, OptOut.created_at >= since))
    ).one()
    return {"opt_outs": total, "opt_outs_this_week": recent}


REPORT_WINDOW = timedelta(days=7)
REPORT_GRACE = timedelta(minutes=30)  # reports of the newest SMS may still be on their way


def report_counts(week, now):
    """SMS expired this week (never sent: an outage outlasted their use), and whether the
    gateway reported on none of the SMS it accepted in the past week (a gateway without
    delivery reports: a rate of 0% would be a lie, not a fact)."""
    status, sent_at = OutboxMessage.status, OutboxMessage.sent_at
    window = (sent_at >= now - REPORT_WINDOW, sent_at < now - REPORT_GRACE)
    reported = (status == MessageStatus.DELIVERED) | (status == MessageStatus.FAILED)
    expired, sent, heard = db.session.execute(
        select(
            _count(
                OutboxMessage, status == MessageStatus.EXPIRED, OutboxMessage.created_at >= week
            ),
            _count(OutboxMessage, *window),
            _count(OutboxMessage, *window, reported),
        )
    ).one()
    return {"expired_week": expired, "reports_missing": bool(sent) and not heard}


def overview(now=None):
    """Every headline number, for the week and month holding `now`."""
    now = now or utcnow()
    week, month = week_start(now), month_start(now)
    return Overview(
        **people_counts(),
        **lesson_counts(week, now),
        **opt_out_counts(week),
        **meeting_counts(month, now),
        **month_cost(month, now),
        **report_counts(week, now),
    )
