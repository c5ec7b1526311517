"""A long gateway outage: each SMS is retried with capped backoff for as long as it is useful,
then marked expired (never sent), and the dashboard shows it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.models import Enrollment, OutboxMessage, db, utcnow
from service.outbox import queue_sms
from tests.fixtures.ussd import add_meeting
from workers.send import send_messages

PHONE = "+6281300000001"


def reload(row_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, row_id)


def outage(row_id, start):
    """Send at `start` and at every retry the row asks for, the gateway answering 500 each
    time, until the row settles; returns the row and the instant of its last attempt."""
    now = start
    for _ in range(1000):
        send_messages([row_id], now=now)
        row = reload(row_id)
        if row.status != "pending":
            return row, now
        assert row.send_after - now <= timedelta(hours=1)  # the backoff is capped
        now = row.send_after
    raise AssertionError("never settled")


@pytest.fixture
def down(fake_at):
    fake_at.fail_next(100_000)
    return fake_at


@pytest.mark.parametrize("kind", ["reply", "welcome", "alert"])
def test_a_reply_is_retried_for_a_day_then_expires(app, down, kind):
    start = utcnow()
    row = queue_sms(PHONE, "Terima kasih", kind, f"{kind}:1")
    db.session.commit()
    row, last = outage(row.id, start)
    assert row.status == "expired" and row.sent_at is None
    assert row.failure_reason.startswith("expired: gateway error")
    assert start + timedelta(hours=22) <= last < start + timedelta(hours=24)
    assert row.attempts > 20 and len(down.requests) == row.attempts


def test_a_reminder_is_retried_until_its_meeting_starts(app, down, factory):
    village = factory.village()
    start = utcnow()
    meeting = add_meeting(village, starts_at=start + timedelta(hours=5))
    row = queue_sms(PHONE, "Besok pertemuan", "reminder", "reminder:1", meeting_id=meeting.id)
    db.session.commit()
    row, last = outage(row.id, start)
    assert row.status == "expired"
    assert meeting.starts_at - timedelta(hours=1) <= last < meeting.starts_at


def test_a_lesson_is_retried_until_the_next_lesson_is_due(app, down, factory):
    household = factory.household(phone=PHONE)
    enrollment = db.session.scalar(select(Enrollment))
    start = utcnow()
    enrollment.next_due_at = start + timedelta(days=3)
    row = queue_sms(PHONE, "Pelajaran", "lesson", "lesson:1", enrollment_id=enrollment.id)
    db.session.commit()
    row, last = outage(row.id, start)
    assert row.status == "expired" and household.caregivers[0].phone == row.to_phone
    assert start + timedelta(days=2) < last < start + timedelta(days=3)


def test_a_lesson_is_sent_if_the_gateway_recovers_in_time(app, fake_at, factory):
    factory.household(phone=PHONE)
    enrollment = db.session.scalar(select(Enrollment))
    start = utcnow()
    enrollment.next_due_at = start + timedelta(days=3)
    row = queue_sms(PHONE, "Pelajaran", "lesson", "lesson:1", enrollment_id=enrollment.id)
    db.session.commit()
    fake_at.fail_next(30)  # about a day of retries
    row, last = outage(row.id, start)
    assert row.status == "sent" and last > start + timedelta(hours=20)
    assert [phone for phone, *_ in fake_at.messages] == [PHONE]


def test_expired_messages_are_on_the_dashboard(admin_client, app):
    row = queue_sms(PHONE, "Terima kasih", "reply", "reply:1")
    db.session.commit()
    row.status, row.failure_reason = "expired", "expired: gateway error"
    db.session.commit()
    overview = admin_client.get("/admin/").get_data(as_text=True)
    assert "SMS expired this week" in overview and "status=expired" in overview
    log = admin_client.get("/admin/messages?status=expired").get_data(as_text=True)
    assert 'value="expired" selected' in log and "Terima kasih" in log
    other = admin_client.get("/admin/messages?status=sent").get_data(as_text=True)
    assert "Terima kasih" not in other
