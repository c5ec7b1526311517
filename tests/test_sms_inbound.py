"""The inbound pipeline: stored first, answered 200 at once, processed once by a job or a sweep."""

from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import select

from messages.handlers import help as help_handler
from service import create_app
from service.models import InboundMessage, OutboxMessage, db, utcnow
from tests.conftest import TOKEN
from tests.fixtures.sms import inbound_row, post_inbound, replies_to
from workers.inbound import job_id, process_inbound, sweep_unprocessed
from workers.queues import INBOUND, worker_connection

STRANGER = "+6281999999999"


def queued_jobs(redis_url):
    return Queue(INBOUND, connection=worker_connection(redis_url)).job_ids


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_token_is_refused_and_stores_nothing(client, token):
    url = "/sms/inbound" if token is None else f"/sms/inbound?token={token}"
    response = client.post(url, data={"from": STRANGER, "text": "HELP", "id": "x1"})
    assert response.status_code == 403
    assert db.session.query(InboundMessage).count() == 0
    assert client.post("/sms/delivery", data={"id": "x", "status": "Success"}).status_code == 403


def test_the_raw_message_is_stored_before_any_processing(client, redis_url):
    response, provider_id = post_inbound(
        client, STRANGER, "BANTUAN", linkId="L1", networkCode="51010"
    )
    row = inbound_row(provider_id)
    assert response.status_code == 200
    assert (row.state, row.from_phone, row.text, row.to) == (
        "received",
        STRANGER,
        "BANTUAN",
        "12345",
    )
    assert row.raw["linkId"] == "L1" and row.raw["networkCode"] == "51010"
    assert queued_jobs(redis_url) == [job_id(row.id)]
    assert replies_to(row.id) == []


def test_processing_marks_the_row_and_queues_one_reply(client, run_jobs):
    _response, provider_id = post_inbound(client, STRANGER, "HELP")
    run_jobs()
    row = inbound_row(provider_id)
    assert row.state == "processed" and row.processed_at is not None and row.attempts == 1
    [reply] = replies_to(row.id)
    assert "parenting tips" in reply


def test_a_repeated_post_of_the_same_id_has_no_second_effect(client, run_jobs, redis_url):
    post_inbound(client, STRANGER, "HELP", provider_id="ATXid_same")
    second, _ = post_inbound(client, STRANGER, "HELP", provider_id="ATXid_same")
    assert second.status_code == 200
    assert len(queued_jobs(redis_url)) == 1
    run_jobs()
    post_inbound(client, STRANGER, "HELP", provider_id="ATXid_same")
    run_jobs()
    assert db.session.query(InboundMessage).count() == 1
    assert db.session.query(OutboxMessage).count() == 1


def test_a_retried_job_sends_no_second_reply(client, run_jobs):
    _response, provider_id = post_inbound(client, STRANGER, "HELP")
    run_jobs()
    row = inbound_row(provider_id)
    assert process_inbound(row.id) is False  # already processed: nothing happens
    row.state = "received"  # as if the commit had been lost after the reply was queued
    db.session.commit()
    assert process_inbound(row.id) is True
    assert len(replies_to(row.id)) == 1


def test_with_redis_down_the_message_is_stored_and_the_sweep_processes_it(
    app_config, app, run_jobs
):
    down = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    with down.app_context():
        response, provider_id = post_inbound(down.test_client(), STRANGER, "HELP")
        db.session.remove()
    assert response.status_code == 200
    row = inbound_row(provider_id)
    assert row.state == "received"
    assert sweep_unprocessed(now=utcnow()) == 0  # younger than a minute: its job may still come
    assert sweep_unprocessed(now=utcnow() + timedelta(minutes=2)) == 1
    run_jobs()
    assert inbound_row(provider_id).state == "processed"
    assert len(replies_to(row.id)) == 1


def test_the_sweep_leaves_messages_whose_job_is_still_queued(client, redis_url):
    _response, provider_id = post_inbound(client, STRANGER, "HELP")
    assert sweep_unprocessed(now=utcnow() + timedelta(minutes=2)) == 0
    assert len(queued_jobs(redis_url)) == 1


def test_a_failing_job_keeps_the_error_and_is_retried_by_rq(client, run_jobs, monkeypatch):
    monkeypatch.setattr(help_handler, "show", _broken)
    _response, provider_id = post_inbound(client, STRANGER, "HELP")
    run_jobs()
    row = inbound_row(provider_id)
    assert (row.state, row.attempts) == ("received", 1)
    assert "RuntimeError: handler broke" in row.error
    assert replies_to(row.id) == []  # the half-done work was rolled back


def test_after_the_last_attempt_the_row_is_failed_and_the_sender_told_once(app, monkeypatch):
    monkeypatch.setattr(help_handler, "show", _broken)
    row = InboundMessage(provider_id="p1", from_phone=STRANGER, text="HELP")
    db.session.add(row)
    db.session.commit()
    for _ in range(4):
        with pytest.raises(RuntimeError):
            process_inbound(row.id)
    db.session.expire_all()
    assert (row.state, row.attempts) == ("failed", 4)
    [apology] = replies_to(row.id)
    assert "gangguan" in apology
    assert process_inbound(row.id) is False


def test_a_sender_we_cannot_answer_is_processed_without_a_reply(client, run_jobs):
    _response, provider_id = post_inbound(client, "ASUH-INFO", "HELP")
    run_jobs()
    row = inbound_row(provider_id)
    assert row.state == "processed" and replies_to(row.id) == []


def test_the_baseline_switch_stores_without_queueing(app, client, redis_url):
    app.config["INBOUND_PROCESSING"] = False
    response, provider_id = post_inbound(client, STRANGER, "HELP")
    assert response.status_code == 200 and inbound_row(provider_id).state == "received"
    assert queued_jobs(redis_url) == []


def test_an_id_too_long_or_missing_still_stores_the_message_once(client):
    for _ in range(2):
        client.post(f"/sms/inbound?token={TOKEN}", data={"from": STRANGER, "text": "HELP"})
        client.post(
            f"/sms/inbound?token={TOKEN}", data={"from": STRANGER, "text": "X", "id": "9" * 500}
        )
    rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
    assert [r.text for r in rows] == ["HELP", "X"]
    assert all(r.provider_id.startswith("sha256:") for r in rows)


def _broken(ctx):
    raise RuntimeError("handler broke")
