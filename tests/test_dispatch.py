"""Lesson dispatch against the real database: what a tick writes, to whom, and what it advances."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from messages.lessons import load_catalog
from service.enrollments import enroll
from service.models import Child, Enrollment, OutboxMessage, db
from service.states import EnrollmentState, PersonStatus, Track
from tests.fixtures.schedule import at, local_text
from workers.queues import SCHEDULE, enqueue
from workers.recipients import age_in_years, youngest_band
from workers.tick import dispatch_lessons

JKT = "Asia/Jakarta"
MONDAY_0830 = at(JKT, "2031-03-03 08:30")
BEFORE = at(JKT, "2031-02-20 10:00")


@pytest.fixture
def village(factory):
    return factory.village("Kanigoro", timezone=JKT, language="id")


def household(factory, village, births=((2016, 4),), **extra):
    return factory.household(village, births=births, now=BEFORE, **extra)


def render(position, language="id", band=None, village="Kanigoro", province="Jawa Timur", **v):
    return load_catalog().render(
        "caregiver", position, language, band=band, village=village, province=province, **v
    )


def test_a_due_caregiver_gets_lesson_one_at_their_hour_and_the_enrollment_moves_on(
    dispatcher, factory, village
):
    home = household(factory, village, births=((2016, 4), (2022, 1)))  # youngest is 9 then
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 1
    (row,) = dispatcher.rows(kind="lesson")
    caregiver = home.caregivers[0]
    assert row.to_phone == caregiver.phone and row.idempotency_key.startswith("lesson:")
    assert row.body == render(0, band="6-11", name=caregiver.name)
    assert (row.lesson_id, row.language, row.village_id) == ("cg01", "id", village.id)
    assert row.segments in (1, 2) and row.status == "pending"
    enrollment = dispatcher.caregiver_enrollment(home)
    assert enrollment.position == 1 and enrollment.last_sent_at == MONDAY_0830
    assert local_text(enrollment.next_due_at, JKT) == "2031-03-06 08:00"


def test_a_second_tick_at_the_same_moment_writes_nothing(dispatcher, factory, village):
    household(factory, village)
    household(factory, village)
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 2
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 0
    assert dispatcher.tick(MONDAY_0830 + timedelta(minutes=1))["lessons"] == 0
    assert len(dispatcher.rows(kind="lesson")) == 2


def test_a_lesson_due_at_night_waits_for_the_morning_window(dispatcher, factory, village):
    home = household(factory, village)
    assert dispatcher.tick(at(JKT, "2031-03-02 22:00"))["lessons"] == 0
    enrollment = dispatcher.caregiver_enrollment(home)
    assert (enrollment.position, local_text(enrollment.next_due_at, JKT)) == (
        0,
        "2031-03-03 08:00",
    )
    assert dispatcher.tick(at(JKT, "2031-03-03 07:59"))["lessons"] == 0  # not due yet
    assert dispatcher.tick(at(JKT, "2031-03-03 08:00"))["lessons"] == 1


def test_lessons_follow_in_order_twice_a_week(dispatcher, factory, village):
    home = household(factory, village)
    now, sent = MONDAY_0830, []
    for _ in range(14 * 24):  # two weeks of hourly ticks
        if dispatcher.tick(now)["lessons"]:
            sent.append(now)
        now += timedelta(hours=1)
    rows = dispatcher.rows(kind="lesson")
    assert [row.lesson_id for row in rows] == ["cg01", "cg02", "cg03", "cg04"]
    assert [local_text(moment, JKT)[:10] for moment in sent] == [
        "2031-03-03",
        "2031-03-06",
        "2031-03-10",
        "2031-03-13",
    ]
    assert dispatcher.caregiver_enrollment(home).position == 4


def test_after_an_outage_of_a_week_one_lesson_goes_not_a_burst(dispatcher, factory, village):
    home = household(factory, village)
    enrollment = dispatcher.caregiver_enrollment(home)
    dispatcher.make_due(enrollment, at(JKT, "2031-02-24 08:00"), 3, at(JKT, "2031-02-20 08:00"))
    for minutes in range(0, 180, 10):  # every tick of the morning after the outage
        dispatcher.tick(MONDAY_0830 + timedelta(minutes=minutes))
    assert [row.lesson_id for row in dispatcher.rows(kind="lesson")] == ["cg04"]
    enrollment = dispatcher.caregiver_enrollment(home)
    assert enrollment.position == 4
    assert local_text(enrollment.next_due_at, JKT) == "2031-03-07 08:00"  # gap 4 after lesson 4


@pytest.mark.parametrize(
    "stop_how",
    [
        pytest.param("opt_out", id="a number that said STOP gets no lesson"),
        pytest.param("stopped", id="a stopped caregiver gets no lesson"),
        pytest.param("paused", id="a caregiver who paused lessons gets none"),
        pytest.param("enrollment_paused", id="a paused enrollment is not dispatched"),
        pytest.param("household_inactive", id="a removed household gets no lesson"),
    ],
)
def test_people_who_must_not_hear_from_us_get_no_lesson(dispatcher, factory, village, stop_how):
    home = household(factory, village)
    caregiver = home.caregivers[0]
    if stop_how == "opt_out":
        dispatcher.opt_out(caregiver.phone)
    elif stop_how == "enrollment_paused":
        dispatcher.caregiver_enrollment(home).state = EnrollmentState.PAUSED
    elif stop_how == "household_inactive":
        home.status = "inactive"
    else:
        caregiver.status = PersonStatus.STOPPED if stop_how == "stopped" else PersonStatus.PAUSED
    db.session.commit()
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 0
    assert dispatcher.rows() == [] or all(r.to_phone != caregiver.phone for r in dispatcher.rows())
    assert dispatcher.caregiver_enrollment(home).position == 0


def test_a_number_that_says_start_again_resumes_where_it_stopped(dispatcher, factory, village):
    home = household(factory, village)
    phone = home.caregivers[0].phone
    dispatcher.opt_out(phone)
    dispatcher.tick(MONDAY_0830)
    db.session.execute(OutboxMessage.__table__.delete())  # nothing was written anyway
    from service.models import OptOut

    db.session.execute(OptOut.__table__.delete().where(OptOut.phone == phone))
    db.session.commit()
    dispatcher.tick(at(JKT, "2031-03-04 08:10"))
    assert [row.lesson_id for row in dispatcher.rows(to_phone=phone)] == ["cg01"]


def test_a_migrant_parent_abroad_gets_their_track_in_their_own_evening(
    dispatcher, factory, village
):
    home = household(factory, village)
    parent = factory.migrant(home, phone="+85291234567", country="HK", language="en")
    enroll(Track.MIGRANT, parent.id, now=BEFORE)
    db.session.commit()
    dispatcher.tick(at("Asia/Hong_Kong", "2031-03-03 17:59"))
    assert dispatcher.rows(to_phone=parent.phone) == []
    dispatcher.tick(at("Asia/Hong_Kong", "2031-03-03 18:00"))
    (row,) = dispatcher.rows(to_phone=parent.phone)
    assert (row.lesson_id, row.language) == ("mg01", "en")
    expected = load_catalog().render(
        "migrant", 0, "en", band="6-11", village="Kanigoro", province="Jawa Timur"
    )
    assert row.body == expected


@pytest.mark.parametrize(
    "phone, country, zone",
    [
        pytest.param("+85291234567", "HK", "Asia/Hong_Kong", id="a father in Hong Kong, HKT"),
        pytest.param("+966501234567", "SA", "Asia/Riyadh", id="a mother in Riyadh, AST"),
        pytest.param("+60123456789", "MY", "Asia/Kuching", id="a mother in Malaysia, MYT"),
        pytest.param("+886912345678", "TW", "Asia/Taipei", id="a father in Taiwan, CST"),
    ],
)  # fmt: skip
def test_parents_abroad_are_scheduled_by_their_phones_country(
    dispatcher, factory, village, phone, country, zone
):
    parent = factory.migrant(household(factory, village), phone=phone, country=country)
    enroll(Track.MIGRANT, parent.id, now=BEFORE)
    db.session.commit()
    dispatcher.tick(at(zone, "2031-03-03 17:59"))
    assert dispatcher.rows(to_phone=phone) == []
    dispatcher.tick(at(zone, "2031-03-03 18:00"))
    assert [row.lesson_id for row in dispatcher.rows(to_phone=phone)] == ["mg01"]
    due = dispatcher.enrollment(track=Track.MIGRANT, migrant_parent_id=parent.id).next_due_at
    assert local_text(due, zone) == "2031-03-10 18:00"  # once a week for parents abroad


def test_a_village_may_send_fewer_lessons_a_week(dispatcher, factory):
    quiet_village = factory.village(timezone="Asia/Makassar", lessons_per_week=1)
    home = household(factory, quiet_village)
    dispatcher.tick(at("Asia/Makassar", "2031-03-03 08:30"))
    due = dispatcher.caregiver_enrollment(home).next_due_at
    assert local_text(due, "Asia/Makassar") == "2031-03-10 08:00"


def test_the_track_frequency_is_a_setting(app, dispatcher, factory, village):
    app.config["TRACK_LESSONS_PER_WEEK"] = {**app.config["TRACK_LESSONS_PER_WEEK"], "caregiver": 7}
    home = household(factory, village)
    dispatcher.tick(MONDAY_0830)
    assert local_text(dispatcher.caregiver_enrollment(home).next_due_at, JKT) == "2031-03-04 08:00"


def test_the_preferred_time_of_day_is_the_persons_own(dispatcher, factory, village):
    home = household(factory, village)
    home.caregivers[0].preferred_time = "evening"
    db.session.commit()
    assert dispatcher.tick(MONDAY_0830)["lessons"] == 0
    assert dispatcher.tick(at(JKT, "2031-03-03 18:01"))["lessons"] == 1


def test_the_track_ends_with_its_last_lesson(dispatcher, factory, village):
    home = household(factory, village)
    last = load_catalog().count("caregiver") - 1
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=last)
    dispatcher.tick(MONDAY_0830)
    enrollment = dispatcher.caregiver_enrollment(home)
    assert (enrollment.state, enrollment.position, enrollment.next_due_at) == (
        "completed",
        last + 1,
        None,
    )
    assert dispatcher.tick(MONDAY_0830 + timedelta(days=7))["lessons"] == 0


@pytest.mark.parametrize(
    "births, band",
    [
        pytest.param([(2028, 6)], "0-5", id="a toddler's household gets the 0-5 variant"),
        pytest.param([(2012, 1), (2020, 2)], "6-11", id="the youngest child sets the band"),
        pytest.param([(2010, 1), (2015, 9)], "12-17", id="a 15-year-old gets the teen variant"),
        pytest.param(
            [(2000, 1), (2015, 9)], "12-17", id="grown children do not count as the youngest"
        ),
        pytest.param([(2005, 1)], None, id="only adult children: the default text"),
    ],
)
def test_the_variant_follows_the_youngest_child_under_18(
    dispatcher, factory, village, births, band
):
    home = household(factory, village, births=births)
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=1)
    dispatcher.tick(MONDAY_0830)
    (row,) = dispatcher.rows(kind="lesson")
    assert row.body == render(1, band=band)


def test_ages_are_counted_at_the_injected_now():
    assert age_in_years(2025, 4, date(2031, 3, 3)) == 5
    assert age_in_years(2025, 3, date(2031, 3, 3)) == 6
    assert youngest_band([(2025, 4)], date(2031, 3, 3)) == "0-5"
    assert youngest_band([(2025, 4)], date(2031, 4, 3)) == "6-11"
    assert youngest_band([(2032, 1)], date(2031, 4, 3)) is None  # not born yet


def test_a_province_override_replaces_the_lesson_text(dispatcher, factory):
    lombok = factory.village("Sakra", timezone="Asia/Makassar", province="Nusa Tenggara Barat")
    home = household(factory, lombok, births=((2026, 1),))
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=4)  # cg05
    dispatcher.tick(at("Asia/Makassar", "2031-03-03 08:30"))
    (row,) = dispatcher.rows(kind="lesson")
    assert row.body.startswith("Di NTB, Posyandu Keluarga")
    assert row.body == load_catalog().render(
        "caregiver", 4, "id", band="0-5", village="Sakra", province="Nusa Tenggara Barat"
    )


def test_the_recipients_language_is_used(dispatcher, factory, village):
    household(factory, village, language="en")
    dispatcher.tick(MONDAY_0830)
    (row,) = dispatcher.rows(kind="lesson")
    assert row.language == "en" and row.body.startswith("Hello, ") and "Coba ini" not in row.body


def test_facilitators_get_one_session_guide_a_week(dispatcher, factory, village):
    facilitator = factory.facilitator(village, language="en")
    enroll(Track.FACILITATOR, facilitator.id, now=BEFORE)
    db.session.commit()
    for day in range(14):
        dispatcher.tick(MONDAY_0830 + timedelta(days=day))
    rows = dispatcher.rows(to_phone=facilitator.phone, kind="lesson")
    assert [row.lesson_id for row in rows] == ["fs01", "fs02"]
    assert rows[0].body == load_catalog().render("facilitator", 0, "en", village="Kanigoro")


def test_an_adolescent_with_consent_gets_the_teen_track_after_school(dispatcher, factory, village):
    home = household(factory, village, births=((2016, 4),))
    teen = Child(
        household=home, birth_year=2016, birth_month=1, name="Dewi", phone="+6281377700011"
    )
    db.session.add(teen)
    db.session.flush()
    enrollment = enroll(
        Track.ADOLESCENT, teen.id, state=EnrollmentState.PENDING_CONSENT, now=BEFORE
    )
    db.session.commit()
    dispatcher.tick(at(JKT, "2031-03-03 18:05"))
    assert dispatcher.rows(to_phone=teen.phone) == []  # no consent yet
    enrollment.state = EnrollmentState.ACTIVE
    db.session.commit()
    dispatcher.tick(at(JKT, "2031-03-04 18:05"))
    (row,) = dispatcher.rows(to_phone=teen.phone)
    assert row.lesson_id == "ad01"


def test_many_due_enrollments_are_written_in_chunks_exactly_once(app, dispatcher, factory, village):
    homes = [household(factory, village) for _ in range(7)]
    assert dispatch_lessons(MONDAY_0830, chunk=3) == 7
    assert dispatch_lessons(MONDAY_0830, chunk=3) == 0
    keys = [row.idempotency_key for row in dispatcher.rows(kind="lesson")]
    assert len(keys) == len(set(keys)) == 7
    assert {dispatcher.caregiver_enrollment(h).position for h in homes} == {1}


def test_a_row_already_written_is_not_written_again_even_if_the_enrollment_lagged(
    dispatcher, factory, village
):
    home = household(factory, village)
    dispatcher.tick(MONDAY_0830)
    enrollment = dispatcher.caregiver_enrollment(home)
    dispatcher.make_due(enrollment, MONDAY_0830, position=0)  # as if the advance were lost
    dispatcher.tick(at(JKT, "2031-03-04 08:30"))
    assert [row.lesson_id for row in dispatcher.rows(kind="lesson")] == ["cg01"]
    assert dispatcher.caregiver_enrollment(home).position == 1


def test_lessons_are_sent_through_the_gateway_with_identical_bodies_batched(
    dispatcher, factory, village, fake_at, run_jobs
):
    homes = [household(factory, village, births=((2016, 4),)) for _ in range(3)]
    for home in homes:
        dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=1)
    dispatcher.tick(MONDAY_0830)
    run_jobs()
    assert len(fake_at.requests) == 1  # one body, three recipients, one request
    assert sorted(phone for phone, _, _ in fake_at.messages) == sorted(
        h.caregivers[0].phone for h in homes
    )
    assert {row.status for row in dispatcher.rows(kind="lesson")} == {"sent"}


def test_the_tick_runs_as_an_rq_job_on_the_schedule_queue(
    app, dispatcher, factory, village, run_jobs
):
    household(factory, village)
    enqueue(SCHEDULE, "workers.tick.tick", MONDAY_0830.isoformat())
    run_jobs()
    assert len(dispatcher.rows(kind="lesson")) == 1


def test_the_clock_registers_the_tick():
    from workers.cron import SCHEDULE_TABLE

    assert ("workers.tick", "tick", SCHEDULE, 60) in SCHEDULE_TABLE
    from workers import tick

    assert callable(tick.tick)


def test_asuh_dispatch_runs_one_tick_and_says_what_it_wrote(runner, factory, village):
    household(factory, village)
    result = runner.invoke(args=["dispatch", "--now", "2031-03-03T08:30:00+07:00"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 lessons, 0 reminders, 0 notices, 0 summaries queued"
    again = runner.invoke(args=["dispatch", "--now", "2031-03-03T08:30:00+07:00"])
    assert again.output.strip() == "0 lessons, 0 reminders, 0 notices, 0 summaries queued"
    db.session.expire_all()
    assert db.session.scalar(select(Enrollment.position)) == 1


def test_asuh_dispatch_refuses_a_time_it_cannot_read(runner):
    result = runner.invoke(args=["dispatch", "--now", "next tuesday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_two_ticks_at_once_each_with_its_own_app_write_every_lesson_once(
    app_config, dispatcher, factory, village
):
    from service import create_app

    homes = [household(factory, village) for _ in range(40)]
    start, written = threading.Barrier(2), []

    def clock():
        other = create_app(app_config)
        with other.app_context():
            start.wait()
            written.append(dispatch_lessons(MONDAY_0830, chunk=7))
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(written) == 40 and len(written) == 2
    rows = dispatcher.rows(kind="lesson")
    assert sorted(row.enrollment_id for row in rows) == sorted(
        dispatcher.caregiver_enrollment(home).id for home in homes
    )
    assert {dispatcher.caregiver_enrollment(home).position for home in homes} == {1}
