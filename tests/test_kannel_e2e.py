"""End to end through a real Kannel: fakesmsc plays the phones and the SMS centre.

A message typed into fakesmsc reaches Asuh through Kannel's sms-service, is processed by a
real RQ worker, and the answers leave through Kannel's sendsms and come out of fakesmsc;
Kannel's delivery reports come back to Asuh over HTTP.
"""

import logging
import time
from datetime import timedelta

import pytest
from flask import request_started
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from service.models import Household, InboundMessage, OutboxMessage, db, utcnow
from service.outbox import queue_sms
from workers import gateway
from workers.gateway.kannel import KannelGateway
from workers.queues import OUTBOUND, worker_connection
from workers.send import send_messages, sweep_pending

FAC = "+6281100000001"
CAREGIVER = "+6281234567890"
LESSON = "Asuh: Anak belajar dari melihat. Coba ini: makan bersama sekali sehari tanpa TV."


def settle(run_jobs, done, what, timeout=60.0):
    """Run the worker until `done()` holds: Kannel answers on its own threads and processes."""
    deadline = time.monotonic() + timeout
    while True:
        run_jobs()
        db.session.rollback()  # see what the web threads committed
        if done():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.1)


def rows(**filters):
    return db.session.scalars(
        select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
    ).all()


def all_delivered():
    found = rows()
    return bool(found) and all(row.status == "delivered" for row in found)


@pytest.fixture
def reports(app):
    """The delivery reports Kannel sends, in arrival order: (outbox id, Kannel status)."""
    seen = []

    def record(sender, **extra):
        from flask import request

        if request.path == "/sms/kannel/delivery":
            seen.append((request.args.get("id"), request.args.get("status")))

    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


@pytest.mark.parametrize("kannel", ["get", "post"], indirect=True)
def test_a_registration_by_sms_comes_back_out_of_kannel_and_is_delivered(
    kannel, factory, run_jobs, reports
):
    factory.facilitator(factory.village("Kanigoro"), phone=FAC)
    kannel.inject(FAC, "DAFTAR mbah sumini 081234567890 nenek 2016 2019-03")
    settle(run_jobs, lambda: kannel.received(FAC) and kannel.received(CAREGIVER), "replies")
    [inbound] = db.session.scalars(select(InboundMessage)).all()
    assert inbound.state == "processed" and inbound.from_phone == FAC
    code = db.session.scalar(select(Household.code))
    [reply] = kannel.received(FAC)
    [welcome] = kannel.received(CAREGIVER)
    assert code in reply and "Selamat datang di Asuh, Mbah Sumini" in welcome
    assert kannel.senders() == {"ASUH"}
    settle(run_jobs, all_delivered, "delivery reports")
    for row in rows():
        assert row.provider_id == f"kannel:{row.id}" and row.sent_at and row.delivered_at
        # Kannel calls back on several threads: 1 may overtake 8, which then changes nothing
        assert sorted(status for rid, status in reports if rid == str(row.id)) == ["1", "8"]


@pytest.mark.parametrize("kannel", ["get", "post"], indirect=True)
def test_an_sms_in_ucs2_reaches_asuh_as_text(kannel, run_jobs):
    kannel.inject("+6281999999999", "HELP Nguyễn")
    settle(run_jobs, lambda: db.session.scalar(select(InboundMessage.text)), "the inbound SMS")
    assert db.session.scalar(select(InboundMessage.text)) == "HELP Nguyễn"


def test_text_outside_gsm7_goes_as_ucs2_and_is_counted_so(kannel, run_jobs):
    body = "Asuh: Selamat datang, Ibu Nguyễn Thị."
    queue_sms(CAREGIVER, body, "welcome", "w:ucs2")
    queue_sms(FAC, "Asuh: Salam, Bu Siti.", "reply", "r:gsm")
    db.session.commit()
    settle(run_jobs, lambda: len(kannel.received()) == 2, "both SMS")
    assert kannel.received(CAREGIVER) == [body]
    assert kannel.received(FAC) == ["Asuh: Salam, Bu Siti."]
    lines = [line for line in kannel.inbox.lines if "Got message" in line]
    assert any(f"{CAREGIVER} ucs-2 " in line for line in lines)
    assert any(f"{FAC} text " in line for line in lines)
    assert [row.segments for row in rows()] == [1, 1]
    long_body = "Asuh: Ibu Nguyễn, " + " ".join(["pelajaran"] * 9)  # 107 characters: 2 UCS-2 parts
    queue_sms(CAREGIVER, long_body, "lesson", "l:ucs2")
    db.session.commit()
    settle(run_jobs, lambda: len(kannel.received(CAREGIVER)) == 2, "the two-part SMS")
    assert kannel.received(CAREGIVER)[1] == long_body
    assert rows(idempotency_key="l:ucs2")[0].segments == 2


def test_a_cohort_of_lessons_all_ends_delivered(kannel, run_jobs):
    phones = [f"+62813{n:07d}" for n in range(300)]
    for n, phone in enumerate(phones):
        queue_sms(phone, LESSON, "lesson", f"lesson:cg01:{n}")
    db.session.commit()
    arrived = lambda: len(kannel.received()) >= 300  # noqa: E731 - fakesmsc prints with a lag
    settle(run_jobs, lambda: all_delivered() and arrived(), "300 lessons delivered", timeout=120)
    assert [len(kannel.received(phone)) for phone in phones] == [1] * 300
    assert set(kannel.received()) == {LESSON}


def test_queued_for_later_delivery_counts_as_accepted_and_arrives_once(kannel, run_jobs):
    kannel.smsc_down()  # Kannel answers "3: Queued for later delivery"
    queue_sms(CAREGIVER, LESSON, "lesson", "l:queued")
    db.session.commit()
    run_jobs()
    db.session.rollback()
    assert rows()[0].status == "sent" and kannel.received() == []
    kannel.smsc_up()
    settle(run_jobs, lambda: all_delivered() and kannel.received(), "delivery once it is back")
    assert kannel.received(CAREGIVER) == [LESSON]


class StopsKannelAfterFirstBatch:
    """The real Kannel gateway, but Kannel goes away once the first batch is in (mid-run)."""

    def __init__(self, kannel, real):
        self.kannel, self.real, self.batches = kannel, real, 0

    def send(self, batch):
        results = self.real.send(batch)
        self.batches += 1
        if self.batches == 1:
            wait = time.monotonic() + 20
            while len(self.kannel.received()) < len(batch.phones) and time.monotonic() < wait:
                time.sleep(0.05)
            self.kannel.stop()
        return results


def test_kannel_stopped_mid_run_loses_nothing_and_sends_nothing_twice(app, kannel, run_jobs):
    first = [f"+62813100{n:05d}" for n in range(20)]
    second = [f"+62813200{n:05d}" for n in range(20)]
    for n, phone in enumerate(first):
        queue_sms(phone, "Asuh: pelajaran satu", "lesson", f"one:{n}")
    for n, phone in enumerate(second):
        queue_sms(phone, "Asuh: pelajaran dua", "lesson", f"two:{n}")
    gateway.set_gateway(StopsKannelAfterFirstBatch(kannel, KannelGateway.from_config(app.config)))
    db.session.commit()
    run_jobs()
    db.session.rollback()
    waiting = rows(status="pending")
    assert {row.to_phone for row in waiting} == set(second)
    assert all(row.failure_reason.startswith("retrying: kannel unreachable") for row in waiting)
    kannel.start()
    gateway.set_gateway(None)
    later = utcnow() + timedelta(hours=1)  # past the backoff, as the sweep would find them
    assert sweep_pending(now=later) == len(second)
    send_messages([row.id for row in waiting], now=later)
    settle(run_jobs, lambda: len(kannel.received()) == 40, "the second batch")
    counts = {phone: len(kannel.received(phone)) for phone in first + second}
    assert set(counts.values()) == {1}  # every phone got its lesson, and only once
    assert {row.status for row in rows()} <= {"sent", "delivered"}
    assert rows(status="pending") == []


def test_a_wrong_kannel_password_fails_the_rows_with_a_reason_and_logs_once(
    app, kannel, run_jobs, redis_url, caplog, admin_client
):
    app.config["KANNEL_PASSWORD"] = "not-the-password"
    for n in range(3):
        queue_sms(f"+6281300000{n:03d}", "Asuh: halo", "lesson", f"k:{n}")
    with caplog.at_level(logging.ERROR, logger="asuh.sms.kannel"):
        db.session.commit()
        run_jobs()
    db.session.rollback()
    assert {(row.status, row.failure_reason) for row in rows()} == {
        ("failed", "kannel refused (403): Authorization failed for sendsms")
    }
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "KANNEL_PASSWORD" in errors[0].getMessage()
    assert sweep_pending(now=utcnow() + timedelta(days=1)) == 0  # nothing left to retry
    failed_jobs = FailedJobRegistry(OUTBOUND, connection=worker_connection(redis_url))
    assert failed_jobs.count == 0  # the job itself did not crash
    assert kannel.received() == []
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "SMS gateway: <strong>kannel</strong>" in page
    assert "Authorization failed for sendsms" in page
