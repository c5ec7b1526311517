"""Village by village: the sortable table, and what one village's page shows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from service.models import (
    Attendance,
    CallbackRequest,
    Caregiver,
    Facilitator,
    Household,
    Meeting,
    MeetingRsvp,
    Village,
    db,
    utcnow,
)
from service.states import CallbackStatus, HouseholdStatus, MeetingStatus, PersonStatus, RsvpAnswer
from service.web.admin.queries.series import RATE_WINDOW_DAYS, rate_counts


@dataclass(frozen=True)
class VillageRow:
    """One line of the villages table."""

    id: int
    name: str
    district: str
    province: str
    households: int
    active_caregivers: int
    sent: int
    delivered: int
    last_meeting: datetime | None
    attended: int
    open_callbacks: int
    language: str = ""  # the village's default language (marked on the page when a draft)

    @property
    def delivery_rate(self):
        return self.delivered / self.sent if self.sent else None

    @property
    def attendance_rate(self):
        """Households at the last meeting as a share of the village's active households."""
        return self.attended / self.households if self.households and self.last_meeting else None


SORT_KEYS = {
    "name": lambda r: r.name.casefold(),
    "district": lambda r: (r.district.casefold(), r.name.casefold()),
    "households": lambda r: r.households,
    "caregivers": lambda r: r.active_caregivers,
    "delivery": lambda r: -1 if r.delivery_rate is None else r.delivery_rate,
    "last_meeting": lambda r: r.last_meeting.timestamp() if r.last_meeting else 0,
    "attendance": lambda r: -1 if r.attendance_rate is None else r.attendance_rate,
    "callbacks": lambda r: r.open_callbacks,
}


def _grouped(column, *conditions, join=None):
    query = select(Household.village_id.label("village_id"), func.count(column).label("n"))
    if join is not None:
        query = query.join(*join)
    return query.where(*conditions).group_by(Household.village_id).subquery()


def _only(column, village_id):
    """A condition narrowing an aggregate to one village (or none, for every village)."""
    return [] if village_id is None else [column == village_id]


def _last_meetings(now, village_id=None):
    """Each village's latest meeting held by `now`, with the households that came."""
    latest = (
        select(Meeting.village_id, func.max(Meeting.starts_at).label("at"))
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
            *_only(Meeting.village_id, village_id),
        )
        .group_by(Meeting.village_id)
        .subquery()
    )
    return (
        select(
            latest.c.village_id,
            func.max(latest.c.at).label("at"),
            func.count(Attendance.id).label("attended"),
        )
        .join(
            Meeting,
            and_(Meeting.village_id == latest.c.village_id, Meeting.starts_at == latest.c.at),
        )
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Meeting.status == MeetingStatus.SCHEDULED)
        .group_by(latest.c.village_id)
        .subquery()
    )


def _open_callbacks(village_id=None):
    return (
        select(CallbackRequest.village_id, func.count(CallbackRequest.id).label("n"))
        .where(
            CallbackRequest.status == CallbackStatus.OPEN,
            *_only(CallbackRequest.village_id, village_id),
        )
        .group_by(CallbackRequest.village_id)
        .subquery()
    )


def village_rows(now=None, sort="name", descending=False, village_id=None):
    """Every village (or one) with its aggregates, in one SQL statement; sorted as asked."""
    now = now or utcnow()
    active = [Household.status == HouseholdStatus.ACTIVE, *_only(Household.village_id, village_id)]
    homes = _grouped(Household.id, *active)
    carers = _grouped(
        Caregiver.id,
        *active,
        Caregiver.status == PersonStatus.ACTIVE,
        join=(Caregiver, Caregiver.household_id == Household.id),
    )
    since = now - timedelta(days=RATE_WINDOW_DAYS)
    rates = rate_counts(since, now, village_id).subquery()
    meetings, callbacks = _last_meetings(now, village_id), _open_callbacks(village_id)
    query = (
        select(
            Village.id,
            Village.name,
            Village.district,
            Village.province,
            func.coalesce(homes.c.n, 0),
            func.coalesce(carers.c.n, 0),
            func.coalesce(rates.c.sent, 0),
            func.coalesce(rates.c.delivered, 0),
            meetings.c.at,
            func.coalesce(meetings.c.attended, 0),
            func.coalesce(callbacks.c.n, 0),
            Village.language,
        )
        .outerjoin(homes, homes.c.village_id == Village.id)
        .outerjoin(carers, carers.c.village_id == Village.id)
        .outerjoin(rates, rates.c.village_id == Village.id)
        .outerjoin(meetings, meetings.c.village_id == Village.id)
        .outerjoin(callbacks, callbacks.c.village_id == Village.id)
    )
    if village_id is not None:
        query = query.where(Village.id == village_id)
    rows = [VillageRow(*row) for row in db.session.execute(query)]
    key = SORT_KEYS.get(sort, SORT_KEYS["name"])
    return sorted(rows, key=key, reverse=descending)


@dataclass(frozen=True)
class MeetingRow:
    """A meeting of one village with its RSVPs and attendance."""

    id: int
    starts_at: datetime
    place: str
    topic: str | None
    status: str
    coming: int
    attended: int


def village_meetings(village_id, limit=10):
    """The village's latest meetings (past and planned) with counts, in one query."""
    rsvps = (
        select(MeetingRsvp.meeting_id, func.count(MeetingRsvp.id).label("n"))
        .where(MeetingRsvp.answer == RsvpAnswer.COMING)
        .group_by(MeetingRsvp.meeting_id)
        .subquery()
    )
    came = (
        select(Attendance.meeting_id, func.count(Attendance.id).label("n"))
        .group_by(Attendance.meeting_id)
        .subquery()
    )
    query = (
        select(
            Meeting.id,
            Meeting.starts_at,
            Meeting.place,
            Meeting.topic,
            Meeting.status,
            func.coalesce(rsvps.c.n, 0),
            func.coalesce(came.c.n, 0),
        )
        .outerjoin(rsvps, rsvps.c.meeting_id == Meeting.id)
        .outerjoin(came, came.c.meeting_id == Meeting.id)
        .where(Meeting.village_id == village_id)
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
    )
    return [MeetingRow(*row) for row in db.session.execute(query)]


def village_facilitators(village_id):
    """The village's facilitators, active first."""
    query = (
        select(Facilitator)
        .where(Facilitator.village_id == village_id)
        .order_by(Facilitator.active.desc(), Facilitator.name)
    )
    return db.session.scalars(query).all()


def open_callback_requests(village_id, limit=50):
    """Caregivers waiting for the facilitator to call back, oldest first."""
    query = (
        select(CallbackRequest, Caregiver.name, Caregiver.phone, Household.code)
        .join(Caregiver, Caregiver.id == CallbackRequest.caregiver_id)
        .join(Household, Household.id == Caregiver.household_id)
        .where(
            CallbackRequest.village_id == village_id,
            CallbackRequest.status == CallbackStatus.OPEN,
        )
        .order_by(CallbackRequest.created_at)
        .limit(limit)
    )
    return db.session.execute(query).all()
