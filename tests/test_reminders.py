"""Meeting reminders, cancellation notices, next-day and weekly summaries, against the database."""

from datetime import timedelta

import pytest

from service.models import Attendance, CallbackRequest, Meeting, OutboxMessage, db
from service.states import MeetingStatus, MessageStatus, PersonStatus
from tests.fixtures.schedule import at, local_text
from workers.send import send_messages, sweep_pending

JKT = "Asia/Jakarta"
BEFORE = at(JKT, "2031-02-20 10:00")


@pytest.fixture
def village(factory):
    return factory.village("Kanigoro", timezone=JKT, language="id")


@pytest.fixture
def homes(factory, village):
    """Three households: a morning caregiver, an evening one (English), a paused one."""
    morning = factory.household(village, now=BEFORE, name="Mbah Sumini")
    evening = factory.household(village, now=BEFORE, name="Bu Yati", language="en")
    paused = factory.household(village, now=BEFORE, name="Pak Darto")
    evening.caregivers[0].preferred_time = "evening"
    paused.caregivers[0].status = PersonStatus.PAUSED
    db.session.commit()
    return morning, evening, paused


def meeting(village, starts, *, topic="fs02", created=BEFORE, place="Balai Desa"):
    row = Meeting(
        village_id=village.id, starts_at=starts, place=place, topic=topic, created_at=created
    )
    db.session.add(row)
    db.session.commit()
    return row


def reminders(dispatcher, **filters):
    return dispatcher.rows(kind="reminder", **filters)


def phone(home):
    return home.caregivers[0].phone


def test_every_active_caregiver_is_reminded_the_day_before_at_their_hour_and_two_hours_before(
    dispatcher, village, homes
):
    morning, evening, paused = homes
    thursday = meeting(village, at(JKT, "2031-03-06 19:00"))
    counts = dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    assert counts["reminders"] == 6
    by_key = {row.idempotency_key: row for row in reminders(dispatcher)}
    cid = {home: home.caregivers[0].id for home in homes}
    day = by_key[f"reminder:{thursday.id}:{cid[morning]}:day"]
    assert local_text(day.send_after, JKT) == "2031-03-05 08:00"
    assert day.body == (
        "Asuh: besok, Kamis 6 Mar pukul 19.00, ada pertemuan pengasuhan di Balai Desa. "
        "Topik: Sesi 2: Waktu dan pujian. Ajak keluarga, sampai jumpa! Info: tekan *384*123#"
    )
    evening_day = by_key[f"reminder:{thursday.id}:{cid[evening]}:day"]
    assert local_text(evening_day.send_after, JKT) == "2031-03-05 18:00"
    assert evening_day.body.startswith("Asuh: tomorrow, Thu 6 Mar at 19:00")
    soon = by_key[f"reminder:{thursday.id}:{cid[paused]}:2h"]  # paused lessons, still reminded
    assert local_text(soon.send_after, JKT) == "2031-03-06 17:00"
    assert soon.meeting_id == thursday.id and soon.village_id == village.id
    assert dispatcher.tick(at(JKT, "2031-03-04 09:01"))["reminders"] == 0


def test_stopped_opted_out_and_removed_caregivers_are_not_reminded(
    dispatcher, factory, village, homes
):
    stopped = factory.household(village, now=BEFORE)
    stopped.caregivers[0].status = PersonStatus.STOPPED
    removed = factory.household(village, now=BEFORE)
    removed.status = "inactive"
    opted = factory.household(village, now=BEFORE)
    db.session.commit()
    dispatcher.opt_out(phone(opted))
    meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    reached = {row.to_phone for row in reminders(dispatcher)}
    assert reached == {phone(home) for home in homes}


def test_reminders_are_sent_when_their_time_comes(dispatcher, village, homes, fake_at):
    meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    ids = [row.id for row in reminders(dispatcher)]
    send_messages(ids, now=at(JKT, "2031-03-05 07:59"))
    assert fake_at.messages == []
    assert sweep_pending(now=at(JKT, "2031-03-05 07:59")) == 1  # Monday's lesson, not reminders
    send_messages(ids, now=at(JKT, "2031-03-05 08:00"))
    assert len(fake_at.requests) == 1  # the two morning caregivers' identical text, batched
    assert {p for p, _, _ in fake_at.messages} == {phone(homes[0]), phone(homes[2])}


def test_a_meeting_called_at_short_notice_gets_one_reminder_at_once(dispatcher, village, homes):
    now = at(JKT, "2031-03-06 14:30")
    meeting(village, at(JKT, "2031-03-06 16:00"), created=now)
    dispatcher.tick(now)
    rows = reminders(dispatcher)
    assert len(rows) == 3 and all(row.idempotency_key.endswith(":2h") for row in rows)
    assert all(row.send_after is None for row in rows)
    assert "hari ini pukul 16.00 di Balai Desa" in rows[0].body


def test_a_caregiver_registered_after_the_reminders_went_out_still_gets_what_makes_sense(
    dispatcher, factory, village, homes
):
    meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    late = factory.household(village, now=at(JKT, "2031-03-06 10:00"))
    dispatcher.tick(at(JKT, "2031-03-06 10:00"))
    assert [row.idempotency_key[-3:] for row in reminders(dispatcher, to_phone=phone(late))] == [
        ":2h"
    ]


def test_a_caregiver_who_stops_before_the_reminder_goes_has_it_cancelled(
    dispatcher, village, homes
):
    morning = homes[0]
    meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    morning.caregivers[0].status = PersonStatus.STOPPED
    db.session.commit()
    dispatcher.tick(at(JKT, "2031-03-04 09:01"))
    statuses = {row.status for row in reminders(dispatcher, to_phone=phone(morning))}
    assert statuses == {"cancelled"}


def cancel(row, when):
    row.status, row.cancelled_at = MeetingStatus.CANCELLED, when
    db.session.commit()


def test_a_cancelled_meeting_cancels_pending_reminders_and_tells_who_was_reminded(
    dispatcher, village, homes, fake_at
):
    morning, evening, paused = homes
    thursday = meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    send_messages([r.id for r in reminders(dispatcher)], now=at(JKT, "2031-03-05 08:05"))
    told = {phone(morning), phone(paused)}
    assert {p for p, _, _ in fake_at.messages} == told
    cancel(thursday, at(JKT, "2031-03-05 12:00"))
    counts = dispatcher.tick(at(JKT, "2031-03-05 12:01"))
    assert counts["notices"] == 2
    pending = [r for r in reminders(dispatcher) if r.idempotency_key.startswith("reminder:")]
    assert {r.status for r in pending if r.to_phone not in told or r.sent_at is None} == {
        "cancelled"
    }
    notices = [r for r in reminders(dispatcher) if r.idempotency_key.startswith("cancel:")]
    assert {r.to_phone for r in notices} == told
    assert "DIBATALKAN" in notices[0].body and "Kamis 6 Mar pukul 19.00" in notices[0].body
    assert dispatcher.tick(at(JKT, "2031-03-05 12:02"))["notices"] == 0


def test_a_meeting_cancelled_before_anyone_heard_of_it_sends_no_notice(dispatcher, village, homes):
    thursday = meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    cancel(thursday, at(JKT, "2031-03-04 10:00"))
    assert dispatcher.tick(at(JKT, "2031-03-04 10:01"))["notices"] == 0
    assert {row.status for row in reminders(dispatcher)} == {"cancelled"}


def test_a_cancellation_at_night_is_told_when_quiet_hours_end(dispatcher, village, homes):
    thursday = meeting(village, at(JKT, "2031-03-06 19:00"))
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    for row in reminders(dispatcher):
        row.status = MessageStatus.SENT  # as if every reminder had gone
    db.session.commit()
    cancel(thursday, at(JKT, "2031-03-05 22:00"))
    dispatcher.tick(at(JKT, "2031-03-05 22:01"))
    notices = [r for r in reminders(dispatcher) if r.idempotency_key.startswith("cancel:")]
    assert len(notices) == 3
    assert {local_text(r.send_after, JKT) for r in notices} == {"2031-03-06 07:00"}


def test_caregivers_who_missed_the_meeting_get_its_summary_the_next_day(
    dispatcher, factory, village, homes
):
    morning, evening, paused = homes
    monday = meeting(village, at(JKT, "2031-03-03 15:00"))
    db.session.add(Attendance(meeting_id=monday.id, household_id=morning.id))
    newcomer = factory.household(village, now=at(JKT, "2031-03-03 20:00"))
    db.session.commit()
    assert dispatcher.tick(at(JKT, "2031-03-04 07:59"))["summaries"] == 0
    dispatcher.tick(at(JKT, "2031-03-04 08:00"))
    assert dispatcher.rows(kind="summary") == []  # only the evening caregiver missed it
    dispatcher.tick(at(JKT, "2031-03-04 18:00"))
    (row,) = dispatcher.rows(kind="summary")
    assert row.to_phone == phone(evening) and row.idempotency_key == f"summary:{monday.id}:" + str(
        evening.caregivers[0].id
    )
    assert row.body.startswith("Asuh: Yesterday's meeting: 10 minutes of one-to-one time")
    assert all(r.to_phone != phone(newcomer) for r in dispatcher.rows(kind="summary"))
    dispatcher.tick(at(JKT, "2031-03-04 18:30"))
    assert len(dispatcher.rows(kind="summary")) == 1


def test_a_meeting_without_a_topic_gets_a_warm_generic_summary(dispatcher, village, homes):
    meeting(village, at(JKT, "2031-03-03 15:00"), topic=None)
    dispatcher.tick(at(JKT, "2031-03-04 08:30"))
    rows = dispatcher.rows(kind="summary")
    assert len(rows) == 1  # the morning caregiver; the paused one gets no lesson-like texts
    assert rows[0].body.startswith("Asuh: kemarin ada pertemuan pengasuhan di Kanigoro.")


def test_facilitators_get_one_weekly_summary_on_monday_morning(dispatcher, factory, village, homes):
    facilitator = factory.facilitator(village, language="en")
    facilitator.created_at = BEFORE
    morning = homes[0]
    db.session.add(CallbackRequest(caregiver_id=morning.caregivers[0].id, village_id=village.id))
    meeting(village, at(JKT, "2031-03-06 19:00"))
    db.session.add(
        OutboxMessage(
            idempotency_key="x:failed",
            to_phone=phone(morning),
            body="x",
            kind="lesson",
            status="failed",
            village_id=village.id,
            updated_at=at(JKT, "2031-03-01 10:00"),
        )
    )
    for home in homes[:2]:
        home.created_at = at(JKT, "2031-02-28 10:00")
    db.session.commit()
    assert dispatcher.tick(at(JKT, "2031-03-03 07:59"))["summaries"] == 0
    dispatcher.tick(at(JKT, "2031-03-03 08:00"))
    (row,) = dispatcher.rows(to_phone=facilitator.phone, kind="summary")
    assert row.idempotency_key == f"weekly:{facilitator.id}:2031-W10"
    assert row.body == (
        "Asuh this week, Kanigoro: 2 new households, 1 SMS not delivered, 1 asking for a call "
        "back. Next meeting: Thu 6 Mar at 19:00 at Balai Desa."
    )
    for hours in (1, 30, 100):
        dispatcher.tick(at(JKT, "2031-03-03 08:00") + timedelta(hours=hours))
    assert len(dispatcher.rows(to_phone=facilitator.phone, kind="summary")) == 1
    dispatcher.tick(at(JKT, "2031-03-10 08:00"))
    assert len(dispatcher.rows(to_phone=facilitator.phone, kind="summary")) == 2


def test_a_facilitator_in_papua_gets_the_summary_at_eight_in_their_own_zone(dispatcher, factory):
    papua = factory.village("Sentani", timezone="Asia/Jayapura")
    facilitator = factory.facilitator(papua)
    facilitator.created_at = BEFORE
    db.session.commit()
    dispatcher.tick(at("Asia/Jayapura", "2031-03-03 07:59"))
    assert dispatcher.rows(kind="summary") == []
    dispatcher.tick(at("Asia/Jayapura", "2031-03-03 08:00"))
    (row,) = dispatcher.rows(kind="summary")
    assert "Pertemuan berikutnya: belum ada" in row.body
