"""Never more than one lesson per person per day: one phone on two tracks gets one a local day."""

import threading
from datetime import timedelta

import pytest

from service.enrollments import enroll
from service.models import Child, OutboxMessage, db
from service.outbox import queue_sms
from service.states import EnrollmentState, Track
from tests.fixtures.schedule import at, local_text
from workers.tick import dispatch_lessons

JKT = "Asia/Jakarta"
MONDAY_0830 = at(JKT, "2031-03-03 08:30")
BEFORE = at(JKT, "2031-02-20 10:00")
PHONE = "+6281155500001"


@pytest.fixture
def village(factory):
    return factory.village("Kanigoro", timezone=JKT, language="id")


def facilitator_who_cares_for_a_grandchild(factory, village, phone=PHONE):
    """A caregiver enrollment and a facilitator enrollment on one number (caregiver's id first)."""
    home = factory.household(village, phone=phone, births=((2016, 4),), now=BEFORE)
    facilitator = factory.facilitator(village, phone=phone)
    enroll(Track.FACILITATOR, facilitator.id, now=BEFORE)
    db.session.commit()
    return home, facilitator


def lessons_to(dispatcher, phone):
    return [row.lesson_id for row in dispatcher.rows(to_phone=phone, kind="lesson")]


def test_a_facilitator_who_is_also_a_caregiver_gets_one_lesson_when_both_fall_due(
    dispatcher, factory, village
):
    home, facilitator = facilitator_who_cares_for_a_grandchild(factory, village)
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 1
    assert lessons_to(dispatcher, PHONE) == ["cg01"]  # equal due times: the lower id goes
    waiting = dispatcher.enrollment(track=Track.FACILITATOR, facilitator_id=facilitator.id)
    assert waiting.position == 0 and waiting.last_sent_at is None  # did not move on
    assert local_text(waiting.next_due_at, JKT) == "2031-03-04 08:00"  # its next slot
    assert dispatcher.caregiver_enrollment(home).position == 1
    assert dispatcher.tick(MONDAY_0830 + timedelta(minutes=30))["lessons"] == 0


def test_both_tracks_of_one_phone_progress_one_lesson_a_day(dispatcher, factory, village):
    facilitator_who_cares_for_a_grandchild(factory, village)
    now = MONDAY_0830
    for _ in range(14 * 24):  # two weeks of hourly ticks
        dispatcher.tick(now)
        now += timedelta(hours=1)
    rows = dispatcher.rows(to_phone=PHONE, kind="lesson")
    days = [(local_text(row.created_at, JKT)[:10], row.lesson_id) for row in rows]
    assert days == [
        ("2031-03-03", "cg01"),
        ("2031-03-04", "fs01"),  # waited one day for the caregiver lesson
        ("2031-03-06", "cg02"),
        ("2031-03-10", "cg03"),
        ("2031-03-11", "fs02"),  # a week after its first
        ("2031-03-13", "cg04"),
    ]


def test_two_daily_tracks_on_one_phone_take_turns_instead_of_one_starving(
    app, dispatcher, factory, village
):
    daily = {**app.config["TRACK_LESSONS_PER_WEEK"], "caregiver": 7, "facilitator": 7}
    app.config["TRACK_LESSONS_PER_WEEK"] = daily
    facilitator_who_cares_for_a_grandchild(factory, village)
    for day in range(6):
        dispatcher.tick(MONDAY_0830 + timedelta(days=day))
    assert lessons_to(dispatcher, PHONE) == ["cg01", "fs01", "cg02", "fs02", "cg03", "fs03"]


@pytest.mark.parametrize(
    "caregiver_due, caregiver_last, facilitator_due, facilitator_last, first",
    [
        pytest.param("2031-02-20 10:00", None, "2031-02-19 10:00", None, "fs01",
                     id="the enrollment due earliest goes, whatever its track or id"),
        pytest.param("2031-02-20 10:00", "2031-02-10 08:00", "2031-02-20 10:00", None, "fs01",
                     id="equal due times: one never sent a lesson goes first"),
        pytest.param("2031-02-20 10:00", "2031-02-10 08:00", "2031-02-20 10:00",
                     "2031-02-12 08:00", "cg02",
                     id="equal due times: the one that waited longest since its last goes"),
        pytest.param("2031-02-20 10:00", None, "2031-02-20 10:00", None, "cg01",
                     id="all equal: the lower enrollment id goes"),
    ],
)  # fmt: skip
def test_which_of_two_due_enrollments_of_one_phone_goes_is_decided_in_one_order(
    dispatcher,
    factory,
    village,
    caregiver_due,
    caregiver_last,
    facilitator_due,
    facilitator_last,
    first,
):
    home, facilitator = facilitator_who_cares_for_a_grandchild(factory, village)
    wanted = {
        Track.CAREGIVER: (caregiver_due, caregiver_last),
        Track.FACILITATOR: (facilitator_due, facilitator_last),
    }
    for chunk in (1000, 1):  # both in one chunk, then each in a chunk of its own
        db.session.execute(OutboxMessage.__table__.delete())
        for enrollment in (
            dispatcher.caregiver_enrollment(home),
            dispatcher.enrollment(track=Track.FACILITATOR, facilitator_id=facilitator.id),
        ):
            due, last = wanted[enrollment.track]
            sent = at(JKT, last) if last else None
            dispatcher.make_due(enrollment, at(JKT, due), 1 if last else 0, sent)
        assert dispatch_lessons(MONDAY_0830, chunk=chunk) == 1, chunk
        assert lessons_to(dispatcher, PHONE) == [first], chunk


@pytest.mark.parametrize(
    "zone, written, how, blocks",
    [
        pytest.param(JKT, "2031-03-03 07:10", "created", True,
                     id="a lesson written at 07:10 the same day in Jakarta blocks"),
        pytest.param(JKT, "2031-03-02 23:59", "created", False,
                     id="one written a minute before local midnight does not"),
        pytest.param("Asia/Jayapura", "2031-03-03 00:30", "created", True,
                     id="Jayapura: 00:30 local is yesterday in UTC, still today there"),
        pytest.param("Asia/Jayapura", "2031-03-02 20:00", "created", False,
                     id="Jayapura: yesterday evening local is today in UTC, not today there"),
        pytest.param("Asia/Makassar", "2031-03-03 14:00", "due", True,
                     id="Makassar: a lesson written yesterday but due later today blocks"),
        pytest.param(JKT, "2031-03-03 07:10", "cancelled", False,
                     id="a cancelled lesson never goes, so it does not block"),
        pytest.param(JKT, "2031-03-03 07:10", "reminder", False,
                     id="a meeting reminder is not a lesson"),
        pytest.param(JKT, "2031-03-03 07:10", "other phone", False,
                     id="a lesson to another number does not block"),
    ],
)  # fmt: skip
def test_a_lesson_already_written_that_local_day_blocks_a_second(
    dispatcher, factory, zone, written, how, blocks
):
    village = factory.village(timezone=zone)
    home = factory.household(village, phone=PHONE, now=BEFORE)
    moment = at(zone, written)
    to = "+6281155500999" if how == "other phone" else PHONE
    kind = "reminder" if how == "reminder" else "lesson"
    created, due = (moment - timedelta(days=1), moment) if how == "due" else (moment, None)
    row = queue_sms(to, "Lain", kind, "lesson:other:0", created_at=created, send_after=due)
    if how == "cancelled":
        row.status = "cancelled"
    db.session.commit()
    dispatcher.tick(at(zone, "2031-03-03 08:30"))
    enrollment = dispatcher.caregiver_enrollment(home)
    assert len(dispatcher.rows(to_phone=PHONE, idempotency_key=f"lesson:{enrollment.id}:cg01")) == (
        0 if blocks else 1
    )
    assert enrollment.position == (0 if blocks else 1)
    if blocks:
        assert local_text(enrollment.next_due_at, zone) == "2031-03-04 08:00"


def test_a_teen_on_the_grandmothers_phone_waits_a_day_after_her_morning_lesson(
    dispatcher, factory, village
):
    home = factory.household(village, phone=PHONE, births=((2016, 4),), now=BEFORE)
    teen = Child(household=home, birth_year=2016, birth_month=1, name="Dewi", phone=PHONE)
    db.session.add(teen)
    db.session.flush()
    enroll(Track.ADOLESCENT, teen.id, state=EnrollmentState.ACTIVE, now=BEFORE)
    db.session.commit()
    dispatcher.tick(MONDAY_0830)
    dispatcher.tick(at(JKT, "2031-03-03 18:05"))  # the teen's evening: grandmother had one
    assert lessons_to(dispatcher, PHONE) == ["cg01"]
    dispatcher.tick(at(JKT, "2031-03-04 08:30"))
    dispatcher.tick(at(JKT, "2031-03-04 18:05"))
    assert lessons_to(dispatcher, PHONE) == ["cg01", "ad01"]


def test_a_second_clock_waits_while_the_first_writes_to_the_same_number(
    app_config, dispatcher, factory, village
):
    from service import create_app
    from workers.tick import TickPlanner, _dispatch_chunk

    _, facilitator = facilitator_who_cares_for_a_grandchild(factory, village)
    guide = dispatcher.enrollment(track=Track.FACILITATOR, facilitator_id=facilitator.id)
    dispatcher.make_due(guide, MONDAY_0830 + timedelta(minutes=1))  # not due for clock one
    _dispatch_chunk(TickPlanner.build(MONDAY_0830), 10)  # clock one: caregiver lesson, uncommitted
    written = []

    def second_clock():
        other = create_app(app_config)
        with other.app_context():
            written.append(dispatch_lessons(MONDAY_0830 + timedelta(minutes=2)))
            db.session.remove()
            db.engine.dispose()

    thread = threading.Thread(target=second_clock)
    thread.start()
    thread.join(timeout=1)  # give it time to reach the number clock one holds
    db.session.commit()
    thread.join(timeout=60)
    assert written == [0]
    assert lessons_to(dispatcher, PHONE) == ["cg01"]
