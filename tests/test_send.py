"""Outbound SMS: the outbox sent through the real AT SDK to a local fake Africa's Talking."""

from datetime import timedelta

from sqlalchemy import select

from service.models import Enrollment, OptOut, OutboxMessage, db, utcnow
from service.outbox import queue_sms
from service.redis_client import get_redis
from workers import outcomes
from workers.ratelimit import RateLimiter
from workers.send import backoff, send_messages, sweep_pending


def outbox(**filters):
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
    ).all()


def queue(n, body="Pelajaran 1", prefix="+6281300000"):
    for i in range(n):
        queue_sms(f"{prefix}{i:03d}", body, "lesson", f"t:{body}:{i}")
    db.session.commit()


def test_identical_bodies_go_in_one_bulk_request_with_per_recipient_results(fake_at, run_jobs):
    queue(3, "Sama")
    queue(2, "Beda", prefix="+6281400000")
    run_jobs()
    assert len(fake_at.requests) == 2
    by_body = {r["message"]: r["to"].split(",") for r in fake_at.requests}
    assert len(by_body["Sama"]) == 3 and len(by_body["Beda"]) == 2
    rows = outbox()
    assert {r.status for r in rows} == {"sent"}
    assert all(r.provider_id.startswith("ATXid_") and r.cost == "IDR 250.0000" for r in rows)
    assert all(r.cost_amount == 250.0 and r.sent_at is not None for r in rows)
    assert fake_at.requests[0]["username"] == "asuh-test"
    assert fake_at.requests[0]["from"] == "ASUH"


def test_permanent_rejection_is_failed_with_reason_and_not_retried(app, fake_at, run_jobs):
    fake_at.reject("+6281300000001", 406)
    queue(2)
    run_jobs()
    bad = outbox(to_phone="+6281300000001")[0]
    good = outbox(to_phone="+6281300000000")[0]
    assert (bad.status, bad.failure_reason, bad.attempts) == ("failed", "UserInBlacklist", 1)
    assert good.status == "sent"
    assert sweep_pending(now=utcnow() + timedelta(days=1)) == 0


def test_server_errors_are_retried_with_backoff_and_sent_once_after_recovery(
    app, fake_at, run_jobs
):
    fake_at.fail_next(3)
    queue(2)
    run_jobs()
    rows = outbox()
    assert {r.status for r in rows} == {"pending"} and all(r.send_after for r in rows)
    assert all(r.failure_reason.startswith("retrying: gateway error") for r in rows)
    assert sweep_pending(now=utcnow()) == 0  # not due before the backoff has passed
    later = utcnow()
    for _ in range(3):  # each is a later tick; the outage answers 500 three times in all
        later += timedelta(hours=1)
        assert sweep_pending(now=later) == 2
        send_messages([r.id for r in rows], now=later)
    rows = outbox()
    assert {r.status for r in rows} == {"sent"}
    assert len(fake_at.messages) == 2  # each phone received exactly once


def test_a_claimed_row_is_not_sent_twice(app, fake_at):
    queue(1)
    row_id = outbox()[0].id
    assert send_messages([row_id]) == 1
    assert send_messages([row_id]) == 0
    assert len(fake_at.messages) == 1


def test_stop_between_queueing_and_sending_cancels_the_row(app, fake_at, run_jobs):
    queue_sms("+6281300000000", "Halo", "lesson", "k1")
    db.session.add(OptOut(phone="+6281300000000"))  # STOP arrives in the same moment
    db.session.commit()
    run_jobs()
    assert outbox()[0].status == "cancelled"
    assert fake_at.messages == []


def test_opted_out_numbers_get_no_new_rows(app):
    db.session.add(OptOut(phone="+6281300000000"))
    db.session.commit()
    assert queue_sms("+6281300000000", "Halo", "lesson", "k1") is None


def test_backoff_grows_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20) == 3600


def test_rate_limiter_holds_the_cap_across_clients(app):
    now = [1000.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    first = RateLimiter(get_redis(), 10, clock=lambda: now[0], sleep=sleep)
    second = RateLimiter(get_redis(), 10, clock=lambda: now[0], sleep=sleep)
    first.take(10)  # the bucket starts full: one second's worth
    assert slept == []
    second.take(10)  # another worker must now wait about a second
    assert 0.9 <= sum(slept) <= 1.1


def test_absent_subscriber_is_retried_once_six_hours_later(app, factory):
    queue(1)
    row = outbox()[0]
    now = utcnow()
    outcomes.message_failed(row, "AbsentSubscriber", now, phone_absent=True)
    assert row.status == "pending" and row.send_after == now + timedelta(hours=6)
    outcomes.message_failed(row, "AbsentSubscriber", now, phone_absent=True)
    assert row.status == "failed"


def test_a_failure_that_is_not_the_phones_fault_fails_the_row_but_pauses_nobody(app, factory):
    household = factory.household(factory.village())
    enrollment = db.session.scalar(select(Enrollment))
    now = utcnow()
    for n in range(6):
        row = queue_sms(household.caregivers[0].phone, f"L{n}", "lesson", f"l:{n}")
        row.enrollment_id = enrollment.id
        db.session.flush()
        outcomes.message_failed(
            row, "kannel refused (403): Authorization failed", now, phone_fault=False
        )
        assert row.status == "failed"
    db.session.commit()
    assert (enrollment.consecutive_failures, enrollment.state) == (0, "active")


def test_five_failures_in_a_row_pause_the_enrollment_and_tell_the_facilitator(app, factory):
    village = factory.village(language="en")
    facilitator = factory.facilitator(village)
    household = factory.household(village)
    caregiver = household.caregivers[0]
    enrollment = db.session.scalar(select(Enrollment).filter_by(caregiver_id=caregiver.id))
    now = utcnow()
    for n in range(5):
        row = queue_sms(
            caregiver.phone,
            f"Lesson {n}",
            "lesson",
            f"l:{n}",
            enrollment_id=enrollment.id,
            village_id=village.id,
        )
        db.session.flush()
        outcomes.message_failed(row, "DeliveryFailure", now)
        assert enrollment.state == ("paused" if n == 4 else "active")
    db.session.commit()
    alerts = outbox(kind="alert")
    assert [a.to_phone for a in alerts] == [facilitator.phone]
    assert caregiver.phone in alerts[0].body and "paused" in alerts[0].body
    outcomes.message_delivered(row, now)
    assert enrollment.consecutive_failures == 0
