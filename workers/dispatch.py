"""One scheduling tick: due lessons, meeting reminders, cancellation notices and summaries.

The database is the truth. Each enrollment knows its next lesson (`position`) and when it is
due (`next_due_at`, UTC). A tick takes due enrollments a chunk at a time, writes one outbox
row per lesson under the key `lesson:<enrollment>:<position>` (INSERT ... ON CONFLICT DO
NOTHING), and advances the enrollment with a guarded UPDATE (`WHERE position = old`) in the
same transaction. A second tick, a second clock process or a retried job therefore finds
nothing left to write: it can neither send a lesson twice nor skip one.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, literal, null, select, true

from messages.lessons import PLACEHOLDERS, age_band, load_catalog
from messages.notices import short
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
    utcnow,
)
from service.states import EnrollmentState, HouseholdStatus, MessageKind, PersonStatus, Track
from workers.audience import lessons_per_week, rhythm_for, zone_for
from workers.context import job
from workers.fanout import dialect_name, in_transaction, insert_rows, kick, outbox_row
from workers.schedule import after_send, deferred_slot, may_send_now

log = logging.getLogger("asuh.dispatch")
CHUNK = 1000
MAX_CHUNKS = 1000  # a tick stops after this many chunks; the next tick carries on
UNKNOWN_BIRTH_MONTH = 7  # mid-year: the least biased guess for "born in 2016"
ADULT_YEARS = 18
DEFAULT_TIME_OF_DAY = {Track.ADOLESCENT: "evening", Track.FACILITATOR: "morning"}


class TickFailed(RuntimeError):
    """A part of the tick raised; the other parts still ran."""


def as_instant(now):
    """An aware UTC datetime from None (the clock), an ISO string or a datetime."""
    if now is None:
        return utcnow()
    if isinstance(now, str):
        now = datetime.fromisoformat(now)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC)


def parts():
    """(name, function) for each part of a tick, in the order they run."""
    from workers import reminders, summaries

    return (
        ("lessons", dispatch_lessons),
        ("reminders", reminders.queue_reminders),
        ("notices", reminders.queue_cancellations),
        ("summaries", summaries.queue_summaries),
    )


@job
def tick(now=None):
    """Write everything due at `now`; safe to run twice at once and to retry."""
    now = as_instant(now)
    counts, errors = {}, {}
    for name, part in parts():
        try:
            counts[name] = part(now)
        except Exception as error:
            db.session.rollback()
            log.exception("dispatch part %s failed at %s", name, now.isoformat())
            counts[name], errors[name] = 0, error
    if errors:
        message = f"failed parts: {', '.join(errors)}; others wrote {counts}"
        raise TickFailed(message) from next(iter(errors.values()))
    return counts


# ---------------------------------------------------------------- lessons


@dataclass(frozen=True)
class Due:
    """A due enrollment with everything needed to decide and render its lesson."""

    enrollment_id: int
    position: int
    last_sent_at: datetime | None
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
    opted_out: bool


@dataclass
class Writes:
    """What one chunk will write: outbox rows and three kinds of guarded enrollment update."""

    rows: list = field(default_factory=list)
    advances: list = field(default_factory=list)
    defers: list = field(default_factory=list)
    finishes: list = field(default_factory=list)


@dataclass
class Context:
    """What every decision of one tick shares: settings, catalog, the clock."""

    config: dict
    catalog: object
    now: datetime

    @classmethod
    def build(cls, now):
        return cls(dict(current_app.config), load_catalog(), now)


def dispatch_lessons(now, chunk=CHUNK):
    """Queue every lesson due at `now`, track by track, chunk by chunk; returns rows written."""
    context, written = Context.build(now), 0
    for track in Track:
        for _ in range(MAX_CHUNKS):
            (count, seen), ids = in_transaction(_dispatch_chunk, track, context, chunk)
            kick(ids)
            written += count
            if seen < chunk:
                break
    return written


def _dispatch_chunk(track, context, limit):
    """Decide, write and advance one chunk of due enrollments: ((written, seen), ids)."""
    due = _select_due(track, context.now, limit)
    if not due:
        return (0, 0), []
    bands = _bands(track, due, context.now)
    writes = Writes()
    for item in due:
        _decide(track, item, bands, context, writes)
    ids = insert_rows(writes.rows)
    _apply(ADVANCE, writes.advances)
    _apply(DEFER, writes.defers)
    _apply(FINISH, writes.finishes)
    return (len(ids), len(due)), ids


# ---------------------------------------------------------------- selecting


def _select_due(track, now, limit):
    """Active enrollments of a track due at `now`, oldest first, with their recipient."""
    person, joins, columns = SOURCES[Track(track)]()
    query = select(
        Enrollment.id,
        Enrollment.position,
        Enrollment.last_sent_at,
        *columns,
        Village.id,
        Village.name,
        Village.province,
        Village.timezone,
        Village.lessons_per_week,
        OptOut.id.is_not(None),
    ).select_from(Enrollment)
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.outerjoin(OptOut, OptOut.phone == person.phone).where(
        Enrollment.track == str(track),
        Enrollment.state == EnrollmentState.ACTIVE,
        Enrollment.next_due_at <= now,
    )
    query = query.order_by(Enrollment.next_due_at, Enrollment.id).limit(limit)
    if dialect_name() == "postgresql":  # two ticks at once share the work instead of waiting
        query = query.with_for_update(skip_locked=True, of=Enrollment)
    return [Due(*row) for row in db.session.execute(query)]


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


def age_in_years(birth_year, birth_month, today):
    """Whole years of age on `today`; negative for a child not born yet."""
    months = (today.year - birth_year) * 12 + today.month - (birth_month or UNKNOWN_BIRTH_MONTH)
    return months // 12


def youngest_band(births, today):
    """The age band of the youngest child under 18 among (year, month) births, or None."""
    ages = [age_in_years(year, month, today) for year, month in births]
    minors = [age for age in ages if 0 <= age < ADULT_YEARS]
    return age_band(min(minors)) if minors else None


def _bands(track, due, now):
    """{household_id or child_id: band}: the household's youngest child, or the teen's own age."""
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
    return {owner: youngest_band(found, now.date()) for owner, found in births.items()}


# ---------------------------------------------------------------- deciding


def _decide(track, item, bands, context, writes):
    """Send, defer or complete one due enrollment, adding to the chunk's writes."""
    count = context.catalog.count(str(track))
    if item.position >= count:  # the track ended (or shrank): nothing left to send
        writes.finishes.append({"b_id": item.enrollment_id, "b_old": item.position})
        return
    rhythm, now = _rhythm(track, item, context.config), context.now
    if not (_eligible(item) and may_send_now(rhythm, now, item.last_sent_at, item.position)):
        slot = deferred_slot(rhythm, context.now, item.last_sent_at, item.position)
        writes.defers.append({"b_id": item.enrollment_id, "b_old": item.position, "b_due": slot})
        return
    band = bands.get(item.child_id if track == Track.ADOLESCENT else item.household_id)
    writes.rows.append(_lesson_row(track, item, band, context))
    writes.advances.append(_advance(item, rhythm, context.now, count))


def _eligible(item):
    """A reachable person who wants lessons: active, in an active household, not stopped."""
    return bool(item.phone) and item.person_ok and item.household_ok and not item.opted_out


def _rhythm(track, item, config):
    per_week = lessons_per_week(config, track, item.village_per_week)
    zone = zone_for(item.phone, item.zone)
    return rhythm_for(config, zone, item.time_of_day or DEFAULT_TIME_OF_DAY.get(track), per_week)


def _lesson_row(track, item, band, context):
    """The outbox row of the lesson at the enrollment's position, in the person's language."""
    language = _language(context.catalog, track, item.language)
    lesson = context.catalog.lesson(str(track), item.position, language)
    body = context.catalog.render(
        str(track),
        item.position,
        language,
        band=band,
        village=item.village,
        province=item.province,
        name=short(item.name, PLACEHOLDERS["name"]),
        ussd=context.config["USSD_SERVICE_CODE"],
    )
    return outbox_row(
        f"lesson:{item.enrollment_id}:{item.position}",
        item.phone,
        body,
        MessageKind.LESSON,
        language=language,
        village_id=item.village_id,
        enrollment_id=item.enrollment_id,
        lesson_id=lesson.id,
    )


def _language(catalog, track, language):
    """The person's language when the track exists in it, else Indonesian."""
    try:
        catalog.lessons(str(track), language)
    except KeyError:
        return "id"
    return language


# ---------------------------------------------------------------- advancing

_ENROLLMENTS = Enrollment.__table__
_GUARD = (
    _ENROLLMENTS.c.id == bindparam("b_id"),
    _ENROLLMENTS.c.position == bindparam("b_old"),
    _ENROLLMENTS.c.state == EnrollmentState.ACTIVE,  # a STOP mid-tick is never undone
)
ADVANCE = (
    _ENROLLMENTS.update()
    .where(*_GUARD)
    .values(
        position=bindparam("b_position"),
        next_due_at=bindparam("b_due"),
        last_sent_at=bindparam("b_sent"),
        state=bindparam("b_state"),
    )
)
DEFER = _ENROLLMENTS.update().where(*_GUARD).values(next_due_at=bindparam("b_due"))


FINISH = (
    _ENROLLMENTS.update().where(*_GUARD).values(state=EnrollmentState.COMPLETED, next_due_at=None)
)


def _advance(item, rhythm, sent_at, count):
    """Parameters moving an enrollment past the lesson just written: next slot, or the end."""
    following = item.position + 1
    done = following >= count
    return {
        "b_id": item.enrollment_id,
        "b_old": item.position,
        "b_position": following,
        "b_due": None if done else after_send(rhythm, sent_at, following),
        "b_sent": sent_at,
        "b_state": str(EnrollmentState.COMPLETED if done else EnrollmentState.ACTIVE),
    }


def _apply(statement, params):
    """One executemany UPDATE; rows another tick already moved are left alone by the guard."""
    if params:
        db.session.execute(statement, params)
