"""Who is due a lesson: one query per track joining the enrollment to its person, household,
village and opt-out, and the age bands of the children the lessons are about."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, null, select, true

from messages.lessons import births_bands
from service.models import (
    Caregiver,
    Child,
    Enrollment,
    Facilitator,
    Household,
    MigrantParent,
    OptOut,
    Village,
    db,
    dialect_name,
)
from service.states import EnrollmentState, HouseholdStatus, PersonStatus, Track

DEFAULT_TIME_OF_DAY = {Track.ADOLESCENT: "evening", Track.FACILITATOR: "morning"}


@dataclass(frozen=True)
class Due:
    """A due enrollment with everything needed to decide and render its lesson."""

    track: Track
    enrollment_id: int
    position: int
    next_due_at: datetime
    last_sent_at: datetime | None
    last_lesson_id: str | None  # the last lesson written, to re-anchor `position` on
    name: str | None
    phone: str | None
    language: str
    time_of_day: str | None
    person_ok: bool
    household_id: int | None
    household_ok: bool
    child_id: int | None
    village_id: int
    village: str
    province: str
    zone: str
    village_per_week: int | None
    uptd_ppa: str | None  # the local services the village's admin has named, if any
    puskesmas: str | None
    hotline: str | None
    opted_out: bool

    @property
    def services(self):
        """What the village's admin set for {uptd_ppa}, {puskesmas}, {hotline}."""
        return {"uptd_ppa": self.uptd_ppa, "puskesmas": self.puskesmas, "hotline": self.hotline}


def select_due_everywhere(now, limit):
    """The first `limit` enrollments due at `now` on any track, in `rank` order, with recipients.

    One narrow query over the enrollments picks them in one order across the tracks (and on
    PostgreSQL locks them), so one person's enrollments on two tracks always meet in the same
    order; then one query per track present reads the people. Returns (due, how many picked).
    """
    by_track, picked = {}, 0
    for enrollment_id, track in db.session.execute(_due_query(now, limit)):
        by_track.setdefault(Track(track), []).append(enrollment_id)
        picked += 1
    due = [item for track, ids in by_track.items() for item in select_due(track, ids)]
    return sorted(due, key=rank), picked


def rank(item):
    """Who goes first: due earliest, then waited longest since a lesson (never first), then id.

    Waiting longest first lets two tracks on one phone, both due daily, take turns.
    """
    never = item.last_sent_at is None
    return (item.next_due_at, not never, item.last_sent_at or item.next_due_at, item.enrollment_id)


def _due_query(now, limit):
    """(id, track) of the first `limit` due enrollments, ordered as `rank` orders them."""
    waited_longest = Enrollment.last_sent_at.asc().nulls_first()
    query = (
        select(Enrollment.id, Enrollment.track)
        .where(Enrollment.state == EnrollmentState.ACTIVE, Enrollment.next_due_at <= now)
        .order_by(Enrollment.next_due_at, waited_longest, Enrollment.id)
        .limit(limit)
    )
    if dialect_name() == "postgresql":  # two ticks at once share the work instead of waiting
        query = query.with_for_update(skip_locked=True)
    return query


def select_due(track, ids):
    """These picked enrollments of one track with their recipient (locked: still as picked)."""
    track = Track(track)
    person, joins, columns = SOURCES[track]()
    query = select(
        Enrollment.id,
        Enrollment.position,
        Enrollment.next_due_at,
        Enrollment.last_sent_at,
        Enrollment.last_lesson_id,
        *columns,
        Village.id,
        Village.name,
        Village.province,
        Village.timezone,
        Village.lessons_per_week,
        Village.uptd_ppa,
        Village.puskesmas,
        Village.hotline,
        OptOut.id.is_not(None),
    ).select_from(Enrollment)
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.outerjoin(OptOut, OptOut.phone == person.phone).where(
        Enrollment.id.in_(ids), Enrollment.track == str(track)
    )
    return [Due(track, *row) for row in db.session.execute(query)]


def _caregiver_source():
    columns = (
        Caregiver.name,
        Caregiver.phone,
        Caregiver.language,
        Caregiver.preferred_time,
        Caregiver.status == PersonStatus.ACTIVE,
        Household.id,
        Household.status == HouseholdStatus.ACTIVE,
        null(),
    )
    joins = (
        (Caregiver, Caregiver.id == Enrollment.caregiver_id),
        (Household, Household.id == Caregiver.household_id),
        (Village, Village.id == Household.village_id),
    )
    return Caregiver, joins, columns


def _migrant_source():
    columns = (
        MigrantParent.name,
        MigrantParent.phone,
        MigrantParent.language,
        MigrantParent.preferred_time,
        MigrantParent.status == PersonStatus.ACTIVE,
        Household.id,
        Household.status == HouseholdStatus.ACTIVE,
        null(),
    )
    joins = (
        (MigrantParent, MigrantParent.id == Enrollment.migrant_parent_id),
        (Household, Household.id == MigrantParent.household_id),
        (Village, Village.id == Household.village_id),
    )
    return MigrantParent, joins, columns


def _adolescent_source():
    columns = (
        Child.name,
        Child.phone,
        Village.language,  # a child has no language of their own yet: the village's
        literal(DEFAULT_TIME_OF_DAY[Track.ADOLESCENT]),
        Child.phone.is_not(None),
        Household.id,
        Household.status == HouseholdStatus.ACTIVE,
        Child.id,
    )
    joins = (
        (Child, Child.id == Enrollment.child_id),
        (Household, Household.id == Child.household_id),
        (Village, Village.id == Household.village_id),
    )
    return Child, joins, columns


def _facilitator_source():
    columns = (
        Facilitator.name,
        Facilitator.phone,
        Facilitator.language,
        literal(DEFAULT_TIME_OF_DAY[Track.FACILITATOR]),
        Facilitator.active,
        null(),
        true(),
        null(),
    )
    joins = (
        (Facilitator, Facilitator.id == Enrollment.facilitator_id),
        (Village, Village.id == Facilitator.village_id),
    )
    return Facilitator, joins, columns


SOURCES = {
    Track.CAREGIVER: _caregiver_source,
    Track.MIGRANT: _migrant_source,
    Track.ADOLESCENT: _adolescent_source,
    Track.FACILITATOR: _facilitator_source,
}


# ---------------------------------------------------------------- age bands


def bands(track, due, now):
    """{household_id or child_id: bands}: every child's band in the household (youngest
    first), or the teen's own; a facilitator's lessons are about no child."""
    if track == Track.FACILITATOR:
        return {}
    by_child = track == Track.ADOLESCENT
    column = Child.id if by_child else Child.household_id
    wanted = {item.child_id if by_child else item.household_id for item in due} - {None}
    births = {}
    for owner, year, month in db.session.execute(
        select(column, Child.birth_year, Child.birth_month).where(column.in_(wanted))
    ):
        births.setdefault(owner, []).append((year, month))
    found = {owner: births_bands(b, now.date()) for owner, b in births.items()}
    return {owner: found.get(owner, ()) for owner in wanted}
