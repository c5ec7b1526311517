"""The send guarantee: a request's size is capped, and a request whose answer never came is
sent again only to recipients no delivery report spoke for, once reports had time to arrive.

A worker killed while waiting for the gateway's answer is played by a gateway that passes the
request to the fake Africa's Talking and then dies (raises BaseException, as SIGKILL would
end the job): the request reached the gateway, its answer never reached us.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.models import OutboxMessage, db, utcnow
from service.outbox import queue_sms
from tests.fixtures.schedule import at
from tests.fixtures.sms import post_delivery
from tests.fixtures.ussd import add_meeting
from workers import gateway
from workers.gateway.africastalking import AfricasTalkingGateway
from workers.send import send_messages, sweep_pending


class Killed(BaseException):
    """The worker died: nothing after the request ran."""


class DiesAfterRequest:
    """The real AT gateway, but the worker dies before reading the answer."""

    name = "africastalking"

    def __init__(self, app, after=None):
        self.inner = AfricasTalkingGateway.from_config(app.config)
        self.after = after

    def send(self, batch):
        results = self.inner.send(batch)
        if self.after:
            return self.after(batch, results)
        raise Killed


def queue(n, body="Pelajaran 1", prefix="+6281300000"):
    for i in range(n):
        queue_sms(f"{prefix}{i:03d}", body, "lesson", f"t:{body}:{i}")
    db.session.commit()


def rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def kill_during_request(app):
    gateway.set_gateway(DiesAfterRequest(app))
    ids = [row.id for row in rows()]
    with pytest.raises(Killed):
        send_messages(ids)
    db.session.rollback()
    gateway.set_gateway(None)
    return ids


def test_a_request_carries_at_most_the_configured_number_of_recipients(app, fake_at, run_jobs):
    queue(250)
    run_jobs()
    assert [len(r["to"].split(",")) for r in fake_at.requests] == [100, 100, 50]
    app.config["SMS_RECIPIENTS_PER_REQUEST"] = 30
    queue(70, body="Pelajaran 2", prefix="+6281400000")
    run_jobs()
    assert [len(r["to"].split(",")) for r in fake_at.requests[3:]] == [30, 30, 10]
    assert {row.status for row in rows()} == {"sent"}


def test_the_default_cap_is_one_hundred():
    from service.config import from_environment

    assert from_environment()["SMS_RECIPIENTS_PER_REQUEST"] == 100


def test_an_unanswered_request_is_not_sent_again_while_reports_may_still_come(app, fake_at):
    queue(3)
    ids = kill_during_request(app)
    assert len(fake_at.messages) == 3  # the phones have it; we do not know
    claim = timedelta(seconds=app.config["SEND_CLAIM_SECONDS"])
    wait = timedelta(seconds=app.config["SEND_REPORT_WAIT_SECONDS"])
    soon = utcnow() + claim + timedelta(seconds=1)  # the dead worker's claim has lapsed
    assert sweep_pending(now=soon) == 0
    assert send_messages(ids, now=soon) == 0
    assert {row.status for row in rows()} == {"pending"}
    later = utcnow() + wait + timedelta(seconds=1)  # no report came: the outcome is unknown
    assert sweep_pending(now=later) == 3
    assert send_messages(ids, now=later) == 1
    assert {row.status for row in rows()} == {"sent"}
    assert len(fake_at.messages) == 6  # sent again, as nobody could tell it had arrived


def test_a_report_for_an_unanswered_request_settles_the_row_for_good(
    app, fake_at, client, run_jobs
):
    queue(3)  # the dead worker's claim (5 minutes) is still live when the reports come
    ids = kill_during_request(app)
    reported = fake_at.messages[:2]  # two phones' reports arrive; the third's never does
    for phone, _body, message_id in reported:
        assert post_delivery(client, message_id, "Success", phone).status_code == 200
    later = utcnow() + timedelta(seconds=app.config["SEND_REPORT_WAIT_SECONDS"] + 1)
    assert sweep_pending(now=later) == 1
    send_messages(ids, now=later)
    by_phone = {row.to_phone: row for row in rows()}
    for phone, _body, message_id in reported:
        row = by_phone[phone]
        assert (row.status, row.provider_id) == ("delivered", message_id)
        assert row.sent_at is not None and row.delivered_at is not None
    received = [phone for phone, _body, _id in fake_at.messages]
    assert received.count(reported[0][0]) == 1 and received.count(reported[1][0]) == 1
    assert received.count("+6281300000002") == 2  # unreported: the one repeat allowed


def test_a_stop_does_not_cancel_a_row_that_may_be_on_the_phone(app, fake_at):
    from service.outbox import cancel_to

    queue(1)
    kill_during_request(app)
    lapsed = utcnow() + timedelta(seconds=app.config.get("SEND_CLAIM_SECONDS", 300) + 1)
    assert cancel_to(["+6281300000000"], "opted out", now=lapsed) == 0
    assert rows()[0].status == "pending"


def test_a_report_that_overtakes_the_answer_is_not_undone_by_it(app, fake_at, client, run_jobs):
    def report_first(batch, results):
        for result in results:
            post_delivery(client, result.provider_id, "Success", result.phone)
        return results

    queue(2)
    gateway.set_gateway(DiesAfterRequest(app, after=report_first))
    send_messages([row.id for row in rows()])  # no job run: the reports applied at once
    for row in rows():
        assert row.status == "delivered"
        assert row.provider_id.startswith("ATXid_") and row.cost == "IDR 250.0000"
        assert row.in_flight_since is None and row.attempts == 1


def test_dispatch_as_of_a_later_instant_sends_reminders_written_days_ahead(
    app, factory, runner, run_jobs
):
    village = factory.village("Kanigoro", timezone="Asia/Jakarta")
    home = factory.household(village, now=at("Asia/Jakarta", "2031-02-20 10:00"))
    meeting = add_meeting(village, starts_at=at("Asia/Jakarta", "2031-03-06 19:00"))
    runner.invoke(args=["dispatch", "--now", "2031-03-04T09:00:00+07:00"])  # written ahead
    run_jobs()
    two_hours_before = "2031-03-06T17:01:00+07:00"
    result = runner.invoke(args=["dispatch", "--now", two_hours_before])
    assert result.exit_code == 0, result.output
    run_jobs()
    db.session.expire_all()
    reminders = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.meeting_id == meeting.id,
            OutboxMessage.to_phone == home.caregivers[0].phone,
        )
    ).all()
    by_moment = {row.idempotency_key.rsplit(":", 1)[1]: row.status for row in reminders}
    assert by_moment == {"day": "sent", "2h": "sent"}
