"""One scheduling tick: due lessons, meeting reminders, cancellation notices and summaries.

The database is the truth. Each enrollment knows its next lesson (`position`) and when it is
due (`next_due_at`, UTC). A tick takes due enrollments a chunk at a time, writes one outbox
row per lesson under the key `lesson:<enrollment>:<lesson id>` (INSERT ... ON CONFLICT DO
NOTHING), and advances the enrollment with a guarded UPDATE (`WHERE position = old`) in the
same transaction. A second tick, a second clock process or a retried job therefore finds
nothing left to write: it can neither send a lesson twice nor skip one.

A position counts lessons in the place's sequence, which changes when a pack lesson is added
or a lesson removed. The enrollment also keeps the id of the last lesson written
(`last_lesson_id`); when the lesson before its position is no longer that one, the tick
carries on after that lesson where it now stands, so a content change mid-cycle neither
repeats nor skips a lesson.

One lesson per phone per local day, across tracks: the tracks' due enrollments are taken in
one order (`recipients.rank`), and an enrollment whose number already has a lesson that local
day (written earlier, or earlier in this tick) waits for its next slot without moving on, as
people who may not hear from us now do (`workers.one_a_day`).
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam

from messages.lessons import PLACEHOLDERS, SOURCE_LANGUAGE, load_catalog, reaches
from messages.notices import short
from service.models import Enrollment, db, utcnow
from service.outbox import insert_rows, outbox_row
from service.states import EnrollmentState, MessageKind, Track
from workers.audience import lessons_per_week, rhythm_for, zone_for
from workers.context import job
from workers.one_a_day import LessonDays
from workers.recipients import DEFAULT_TIME_OF_DAY, select_due_everywhere
from workers.recipients import bands as child_bands
from workers.schedule import after_send, deferred_slot, may_send_now
from workers.transactions import in_transaction, write_lock

log = logging.getLogger("asuh.dispatch")
CHUNK = 1000
MAX_CHUNKS = 1000  # a tick stops after this many chunks; the next tick carries on


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
    from workers import reminders, send, summaries

    return (
        ("lessons", dispatch_lessons),
        ("reminders", reminders.queue_reminders),
        ("notices", reminders.queue_cancellations),
        ("summaries", summaries.queue_summaries),
        ("due", send.sweep_due_by),  # what is due by `now` goes to the sender, ahead or not
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


# ---------------------------------------------------------------- lesson chunks


@dataclass
class Writes:
    """What one chunk will write: outbox rows and three kinds of guarded enrollment update."""

    rows: list = field(default_factory=list)
    advances: list = field(default_factory=list)
    defers: list = field(default_factory=list)
    finishes: list = field(default_factory=list)


@dataclass
class TickPlanner:
    """What every decision of one tick shares: settings, catalog, the clock, and memos.

    Thousands of people share a zone, an hour and a lesson text, so rhythms, timings and
    bodies are worked out once per tick and reused.
    """

    config: dict
    catalog: object
    now: datetime
    memo: dict = field(default_factory=dict)

    @classmethod
    def build(cls, now):
        return cls(dict(current_app.config), load_catalog(), now)

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def rhythm(self, track, item):
        """The person's Rhythm: zone, preferred hour, quiet hours, lessons a week."""
        zone = zone_for(item.phone, item.zone)
        time_of_day = item.time_of_day or DEFAULT_TIME_OF_DAY.get(track)
        per_week = lessons_per_week(self.config, track, item.village_per_week)
        key = ("rhythm", zone, time_of_day, per_week)
        return self.remember(key, lambda: rhythm_for(self.config, zone, time_of_day, per_week))

    def may_send(self, rhythm, item):
        key = ("may", rhythm, item.last_sent_at, item.position)
        return self.remember(
            key, lambda: may_send_now(rhythm, self.now, item.last_sent_at, item.position)
        )

    def waits_until(self, rhythm, item):
        key = ("waits", rhythm, item.last_sent_at, item.position)
        return self.remember(
            key, lambda: deferred_slot(rhythm, self.now, item.last_sent_at, item.position)
        )

    def next_due(self, rhythm, position):
        key = ("next", rhythm, position)
        return self.remember(key, lambda: after_send(rhythm, self.now, position))

    def services(self, item):
        """{uptd_ppa}, {puskesmas}, {hotline} for the item's village, worked out once a tick."""
        key = ("services", item.village_id)
        defaults = {"hotline": self.config["CHILD_HOTLINE"]}
        return self.remember(
            key,
            lambda: self.catalog.local_services(
                item.village, item.province, item.services, defaults
            ),
        )

    def band(self, track, position, bands, item):
        """Which child the lesson at `position` speaks about (children take turns)."""
        key = ("band", track, position, bands, item.village, item.province)
        return self.remember(
            key,
            lambda: self.catalog.band_for(track, position, bands, item.village, item.province),
        )

    def sequence(self, track, item):
        """The lessons of the item's place on a track, in order (the catalog keeps it)."""
        return self.catalog.sequence(track, SOURCE_LANGUAGE, item.village, item.province)

    def next_position(self, track, item, bands):
        """The first lesson from the enrollment's place in the sequence on that reaches the
        household; its place is after the last lesson it was written (`resume_at`)."""
        key = ("next-position", track, item.position, item.last_lesson_id, bands)
        key += (item.village, item.province)
        return self.remember(
            key,
            lambda: _first_reaching(self.sequence(track, item), self.resume_at(track, item), bands),
        )

    def resume_at(self, track, item):
        """Where the enrollment carries on: its position, unless the place's sequence changed
        since its last lesson was written (a pack lesson added before it, a lesson removed),
        then just after that lesson where it now stands. A lesson no longer in the sequence,
        or no lesson recorded (rows from before 0007), leaves the position as it is."""
        sequence, last, position = self.sequence(track, item), item.last_lesson_id, item.position
        if last is None or (0 < position <= len(sequence) and sequence[position - 1].id == last):
            return position
        found = self.catalog.position_of(track, last, item.village, item.province)
        return position if found is None else found + 1

    def body(self, track, position, language, band, item):
        """The rendered lesson; rendered once per text when it does not greet by name."""
        places = {"village": item.village, "province": item.province}
        values = {**places, **self.services(item), "ussd": self.config["USSD_SERVICE_CODE"]}
        render = self.catalog.render
        key = ("body", track, position, language, band, item.village_id)
        probes = (render(track, position, language, band=band, name=n, **values) for n in "AB")
        shared = self.remember(key, lambda: _same(*probes))
        if shared is not None:
            return shared
        name = short(item.name, PLACEHOLDERS["name"])
        return render(track, position, language, band=band, name=name, **values)


def _same(first, second):
    """The text when both renderings agree (no name in it), else None."""
    return first if first == second else None


def _first_reaching(sequence, position, bands):
    """The position of the first lesson from `position` on meant for one of the bands.

    `bands` None (a facilitator) takes every lesson; a household skips the lessons meant
    only for children it does not have (a teen lesson for a home with no teenager).
    """
    for lesson in sequence[position:]:
        if bands is None or reaches(lesson, bands):
            return lesson.position
    return len(sequence)


def dispatch_lessons(now, chunk=CHUNK):
    """Queue every lesson due at `now`, all tracks in one order, chunk by chunk; rows written."""
    context, written = TickPlanner.build(now), 0
    for _ in range(MAX_CHUNKS):
        count, picked = in_transaction(_dispatch_chunk, context, chunk)
        written += count
        if picked < chunk:
            break
    return written


def _dispatch_chunk(context, limit):
    """Decide, write and advance one chunk of due enrollments: (written, picked)."""
    write_lock()
    due, picked = select_due_everywhere(context.now, limit)
    if not due:  # nothing picked, or nothing that can be read: the next chunk would be the same
        return 0, 0
    bands = _bands_by_track(due, context.now)
    days = LessonDays.load((item.phone for item in due), context.now)
    writes = Writes()
    for item in due:
        _decide(item, bands[item.track], days, context, writes)
    ids = insert_rows(writes.rows)
    _apply(ADVANCE, writes.advances)
    _apply(DEFER, writes.defers)
    _apply(FINISH, writes.finishes)
    return len(ids), picked


# ---------------------------------------------------------------- deciding


def _bands_by_track(due, now):
    """{track: {household_id or child_id: band}} for the chunk's due enrollments."""
    by_track = {}
    for item in due:
        by_track.setdefault(item.track, []).append(item)
    return {track: child_bands(track, items, now) for track, items in by_track.items()}


def _decide(item, bands, days, context, writes):
    """Send, defer or complete one due enrollment, adding to the chunk's writes."""
    track = str(item.track)
    children = _children_bands(item, bands)
    count = context.catalog.count(track, item.village, item.province)
    position = context.next_position(track, item, children)
    if position >= count:  # the track ended (or shrank), or nothing left is for this home
        writes.finishes.append({"b_id": item.enrollment_id, "b_old": item.position})
        return
    rhythm = context.rhythm(item.track, item)
    if not _may_have_one_now(item, rhythm, days, context):
        slot = context.waits_until(rhythm, item)
        writes.defers.append({"b_id": item.enrollment_id, "b_old": item.position, "b_due": slot})
        return
    band = None if children is None else context.band(track, position, children, item)
    row = _lesson_row(track, item, position, band, context)
    writes.rows.append(row)
    writes.advances.append(_advance(item, position, row["lesson_id"], rhythm, context, count))
    days.note(item.phone)


def _children_bands(item, bands):
    """The bands of the children the person's lessons are about; None for a facilitator."""
    if item.track == Track.FACILITATOR:
        return None
    return bands.get(item.child_id if item.track == Track.ADOLESCENT else item.household_id, ())


def _may_have_one_now(item, rhythm, days, context):
    """Reachable, in a window the rhythm allows, and no lesson to this number this local day."""
    if not (_eligible(item) and context.may_send(rhythm, item)):
        return False
    return not days.had_one_today(item.phone, rhythm.zone)


def _eligible(item):
    """A reachable person who wants lessons: active, in an active household, not stopped."""
    return bool(item.phone) and item.person_ok and item.household_ok and not item.opted_out


def _lesson_row(track, item, position, band, context):
    """The outbox row of the lesson at `position` of the person's track, in the person's language
    or, where that language has not written it, the next of its fallback chain (the row says
    which); a regional pack's lesson where the village or province has one."""
    lesson = context.catalog.lesson(track, position, item.language, item.village, item.province)
    body = context.body(track, position, item.language, band, item)
    return outbox_row(
        lesson_key(item.enrollment_id, lesson.id),
        item.phone,
        body,
        MessageKind.LESSON,
        language=lesson.language,
        village_id=item.village_id,
        enrollment_id=item.enrollment_id,
        lesson_id=lesson.id,
        created_at=context.now,  # the tick's clock: "a lesson this local day" is read from it
    )


def lesson_key(enrollment_id, lesson_id):
    """The idempotency key of an enrollment's lesson: by lesson id, not position, so a lesson
    written at a position an earlier lesson had (the sequence shrank) is never taken for it.

    Rows written before issue 12 are keyed `lesson:<enrollment>:<position>`; lesson ids are
    not bare numbers (cg01, and a pack's begin with its slug: ntt-cg01), so the two kinds of
    key do not meet."""
    return f"lesson:{enrollment_id}:{lesson_id}"


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
        last_lesson_id=bindparam("b_lesson"),
        next_due_at=bindparam("b_due"),
        last_sent_at=bindparam("b_sent"),
        state=bindparam("b_state"),
    )
)
DEFER = _ENROLLMENTS.update().where(*_GUARD).values(next_due_at=bindparam("b_due"))


FINISH = (
    _ENROLLMENTS.update().where(*_GUARD).values(state=EnrollmentState.COMPLETED, next_due_at=None)
)


def _advance(item, position, lesson_id, rhythm, context, count):
    """Parameters moving an enrollment past the lesson just written: next slot, or the end."""
    following = position + 1
    done = following >= count
    return {
        "b_id": item.enrollment_id,
        "b_old": item.position,
        "b_position": following,
        "b_lesson": lesson_id,
        "b_due": None if done else context.next_due(rhythm, following),
        "b_sent": context.now,
        "b_state": str(EnrollmentState.COMPLETED if done else EnrollmentState.ACTIVE),
    }


def _apply(statement, params):
    """One executemany UPDATE; rows another tick already moved are left alone by the guard."""
    if params:
        db.session.execute(statement, params)
