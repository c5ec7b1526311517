"""Kannel's callbacks and report codes, through the real webhooks (no Kannel process needed).

The same paths against a running Kannel are in test_kannel_e2e.py; this file covers what
fakesmsc cannot produce (report codes 2, 16, 34, unknown) and every malformed request.
"""

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rq import Queue
from sqlalchemy import select

from service.models import InboundMessage, OutboxMessage, db, utcnow
from service.outbox import queue_sms
from service.states import MessageStatus
from tests.conftest import TOKEN
from tests.fixtures.sms import post_inbound, replies_to
from workers.gateway import Batch, DeliveryReport, HttpCall, note_error
from workers.gateway.kannel import KannelGateway, parse_report
from workers.queues import INBOUND, OUTBOUND, worker_connection

PHONE = "+6281300000001"
STRANGER = "+6281999999999"


def inbound_url(token=TOKEN, **fields):
    fields.setdefault("id", "0b9a6c62-0000-4000-8000-000000000001")
    fields.setdefault("to", "12345")
    fields.setdefault("ts", "1780000000")
    fields.setdefault("smsc", "aggregator")
    query = "&".join(f"{k}={v}" for k, v in fields.items())
    return f"/sms/kannel/inbound?token={token}&{query}" if token else f"/sms/kannel/inbound?{query}"


def stored():
    db.session.expire_all()
    return db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()


def queued(redis_url, name=INBOUND):
    return Queue(name, connection=worker_connection(redis_url)).job_ids


def late_reports(redis_url):
    jobs = Queue(OUTBOUND, connection=worker_connection(redis_url)).jobs
    return [job for job in jobs if job.func_name.endswith("apply_late_report")]


# --- inbound -------------------------------------------------------------------------


def test_get_url_stores_the_raw_message_and_queues_its_processing(client, redis_url):
    response = client.get(inbound_url(**{"from": "%2B6281999999999", "text": "BANTUAN+ya"}))
    assert response.status_code == 200
    [row] = stored()
    assert (row.from_phone, row.to, row.text, row.state) == (
        STRANGER,
        "12345",
        "BANTUAN ya",
        "received",
    )
    assert row.provider_id == "0b9a6c62-0000-4000-8000-000000000001"
    assert row.date == "2026-05-28 20:26:40" and row.raw["smsc"] == "aggregator"
    assert "token" not in row.raw
    assert len(queued(redis_url)) == 1


def test_post_url_takes_the_text_from_the_body_in_its_charset(client):
    client.post(
        inbound_url(id="a1", **{"from": "081999999999"}),
        data=b"DAFTAR  Bu   Sri",
        content_type='text/plain; charset="UTF-8"',
    )
    client.post(
        inbound_url(id="a2", **{"from": "6281999999999"}),
        data="Halo Nguyễn".encode("utf-16-be"),
        content_type='text/plain; charset="UTF-16BE"',
    )
    first, second = stored()
    assert first.text == "DAFTAR  Bu   Sri"  # spacing kept exactly
    assert second.text == "Halo Nguyễn"


def test_a_message_goes_through_the_same_grammar_and_handlers(client, run_jobs):
    client.get(inbound_url(**{"from": STRANGER, "text": "HELP"}))
    run_jobs()
    [row] = stored()
    assert row.state == "processed"
    [reply] = replies_to(row.id)
    assert "parenting tips" in reply


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_token_is_refused_and_stores_nothing(client, method, token):
    url = inbound_url(token=token, **{"from": STRANGER, "text": "HELP"})
    assert getattr(client, method)(url).status_code == 403
    assert getattr(client, method)("/sms/kannel/delivery?id=1&status=1").status_code == 403
    assert stored() == []


@pytest.mark.parametrize("sender", [None, "", "ASUH", "12", "+62", "%00", "not-a-phone"])
def test_a_sender_that_is_no_phone_number_gets_400_and_stores_nothing(client, redis_url, sender):
    fields = {"text": "HELP"} if sender is None else {"from": sender, "text": "HELP"}
    response = client.get(inbound_url(**fields))
    assert response.status_code == 400 and b"from" in response.data
    assert stored() == [] and queued(redis_url) == []


def test_the_same_kannel_id_twice_is_stored_and_processed_once(client, run_jobs, redis_url):
    url = inbound_url(id="same-id", **{"from": STRANGER, "text": "HELP"})
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    run_jobs()
    assert client.post(url, data=b"HELP", content_type="text/plain").status_code == 200
    run_jobs()
    assert len(stored()) == 1
    assert db.session.query(OutboxMessage).count() == 1


def test_an_over_long_text_is_stored_cut_with_the_cut_recorded(client):
    client.post(inbound_url(id="long", **{"from": STRANGER}), data=b"x" * 5000)
    [row] = stored()
    assert len(row.text) == 1600 and row.truncated_from == 5000
    assert len(row.raw["text"]) == 1600


def test_africas_talking_inbound_gets_the_same_cap(client):
    post_inbound(client, STRANGER, "y" * 2000, provider_id="ATXin_long")
    [row] = stored()
    assert (len(row.text), row.truncated_from) == (1600, 2000)


@pytest.mark.parametrize("provider", ["console", "nosuch"])
def test_a_provider_without_callbacks_is_not_found(client, provider):
    assert client.get(f"/sms/{provider}/inbound?token={TOKEN}&from={STRANGER}").status_code == 404
    assert client.post(f"/sms/{provider}/delivery?token={TOKEN}&id=1").status_code == 404
    assert stored() == []


def test_a_short_text_records_no_cut(client):
    client.get(inbound_url(**{"from": STRANGER, "text": "HELP"}))
    assert stored()[0].truncated_from is None


query_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    args=st.dictionaries(
        st.sampled_from(["id", "from", "to", "ts", "smsc", "text", "status", "answer", "charset"]),
        query_text
        | st.sampled_from([STRANGER, "0812345678901", "1", "34", "99999999999999999999"]),
    ),
    body=st.binary(max_size=300),
    charset=st.sampled_from(["UTF-8", "UTF-16BE", "binary", "no-such-charset", ""]),
)
def test_no_request_ever_gets_a_server_error(client, args, body, charset):
    args = {"token": TOKEN, **args}
    for path in ("/sms/kannel/inbound", "/sms/kannel/delivery"):
        assert client.get(path, query_string=args).status_code < 500
        content_type = f"text/plain; charset={charset}" if charset else "text/plain"
        response = client.post(path, query_string=args, data=body, content_type=content_type)
        assert response.status_code < 500


# --- delivery reports ---------------------------------------------------------------


@pytest.mark.parametrize(
    "status, answer, expected",
    [
        ("1", "", DeliveryReport(MessageStatus.DELIVERED, outbox_id=7)),
        (
            "2",
            "",
            DeliveryReport(MessageStatus.FAILED, outbox_id=7, reason="not delivered to the phone"),
        ),
        (
            "2",
            "id:1 stat:UNDELIV err:001",
            DeliveryReport(MessageStatus.FAILED, outbox_id=7, reason="id:1 stat:UNDELIV err:001"),
        ),
        ("4", "", DeliveryReport(MessageStatus.SENT, outbox_id=7)),
        ("8", "ACK/", DeliveryReport(MessageStatus.SENT, outbox_id=7)),
        (
            "16",
            "NACK/0x0000000b/Invalid Destination Address",
            DeliveryReport(
                MessageStatus.FAILED,
                outbox_id=7,
                reason="NACK/0x0000000b/Invalid Destination Address",
            ),
        ),
        (
            "16",
            "",
            DeliveryReport(MessageStatus.FAILED, outbox_id=7, reason="rejected by the SMS centre"),
        ),
        ("34", "", DeliveryReport(MessageStatus.FAILED, outbox_id=7, reason="expired")),
        ("9", "", DeliveryReport(None, outbox_id=7)),
        ("0", "", DeliveryReport(None, outbox_id=7)),
        ("", "", DeliveryReport(None, outbox_id=7)),
        ("x", "", DeliveryReport(None, outbox_id=7)),
    ],
)
def test_kannel_report_codes_read_as_message_statuses(status, answer, expected):
    call = HttpCall("GET", args={"id": "7", "status": status, "answer": answer})
    assert parse_report(call) == expected


@pytest.mark.parametrize("outbox_id", ["", "abc", "-1", "1.5", "9" * 30, "٣"])
def test_a_report_naming_no_outbox_row_is_not_a_report(outbox_id):
    assert parse_report(HttpCall("POST", form={"id": outbox_id, "status": "1"})) is None


@pytest.fixture
def sent(app):
    """A row Kannel accepted, as workers/send.py leaves it."""
    row = queue_sms(PHONE, "Pelajaran 1", "lesson", "lesson:1")
    db.session.flush()
    row.status, row.provider_id, row.sent_at, row.attempts = "sent", f"kannel:{row.id}", utcnow(), 1
    db.session.commit()
    return row


def report(client, row_id, status, answer="", method="get"):
    url = f"/sms/kannel/delivery?token={TOKEN}&id={row_id}&status={status}&answer={answer}"
    return getattr(client, method)(url)


def reload(row):
    db.session.expire_all()
    return db.session.get(OutboxMessage, row.id)


@pytest.mark.parametrize(
    "reports, status, reason",
    [
        (["8", "1"], "delivered", None),
        (["4"], "sent", None),
        (["1", "8"], "delivered", None),  # a late "accepted" never downgrades
        (["1", "2"], "delivered", None),
        (["1", "16"], "delivered", None),
        (["2"], "failed", "not delivered to the phone"),
        (["16"], "failed", "rejected by the SMS centre"),
        (["34"], "failed", "expired"),
        (["34", "34"], "failed", "expired"),
        (["9"], "sent", None),
        (["1", "1"], "delivered", None),
    ],
)
def test_reports_apply_in_order_and_never_downgrade(client, sent, reports, status, reason):
    for code in reports:
        assert report(client, sent.id, code).status_code == 200
    row = reload(sent)
    assert (row.status, row.failure_reason) == (status, reason)
    assert (row.delivered_at is not None) == (status == "delivered")


def test_the_answer_of_a_rejection_is_the_reason_and_post_works_too(client, sent):
    report(client, sent.id, "16", "NACK%2F0x0000000b%2FInvalid+Destination+Address", "post")
    assert reload(sent).failure_reason == "NACK/0x0000000b/Invalid Destination Address"


def test_unknown_ids_are_answered_200_and_change_nothing(client, sent):
    assert report(client, sent.id + 1000, "2").status_code == 200
    assert report(client, 2**31, "2").status_code == 200  # beyond the id column's range
    assert report(client, 999_999_999_999, "1").status_code == 200
    assert report(client, "", "1").status_code == 200
    assert reload(sent).status == "sent"


def test_a_report_about_a_row_never_handed_to_kannel_changes_nothing(client, app):
    row = queue_sms(PHONE, "Belum dikirim", "lesson", "k:unsent")
    db.session.commit()
    report(client, row.id, "8")
    report(client, row.id, "1")
    assert reload(row).status == "pending"


def test_a_report_that_overtakes_its_send_is_applied_at_once(client, redis_url):
    row = queue_sms(PHONE, "Sedang dikirim", "lesson", "k:inflight")
    db.session.flush()
    now = utcnow()
    row.claimed_until, row.in_flight_since, row.attempts = now + timedelta(minutes=5), now, 1
    db.session.commit()  # a sender holds it, its request is with Kannel, the answer not read
    report(client, row.id, "8")
    report(client, row.id, "1")
    row = reload(row)
    assert (row.status, row.in_flight_since) == ("delivered", None)
    assert late_reports(redis_url) == []  # the sender keeps what the report said (test_send)


def test_a_late_report_about_a_row_claimed_again_waits_for_that_send(client, run_jobs, redis_url):
    row = queue_sms(PHONE, "Dikirim lagi", "lesson", "k:again")
    db.session.flush()
    row.claimed_until, row.attempts = utcnow() + timedelta(minutes=5), 1  # claimed, not yet sent
    db.session.commit()
    report(client, row.id, "1")
    assert reload(row).status == "pending"  # not yet: the sender would overwrite it
    assert len(late_reports(redis_url)) == 1
    row = reload(row)
    row.status, row.claimed_until, row.attempts, row.sent_at = "sent", None, 2, utcnow()
    db.session.commit()  # the sender records Kannel's "0: Accepted for delivery"
    run_jobs()
    assert reload(row).status == "delivered"


# --- sendsms answers ------------------------------------------------------------------


class KannelAnswers:
    """A stand-in for smsbox's sendsms that answers what a test says, for the answers a
    running Kannel will not give on demand (5xx, a hang); requests are recorded."""

    def __init__(self, status, text, delay=0.0):
        self.requests = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                stub.requests.append(parse_qs(urlparse(self.path).query))
                time.sleep(delay)
                body = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *args: None  # a client that gave up is no news
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/sendsms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    "status, text, ok, retryable, reason",
    [
        (202, "0: Accepted for delivery", True, False, None),
        (202, "3: Queued for later delivery", True, False, None),
        (
            403,
            "Authorization failed for sendsms",
            False,
            False,
            "kannel refused (403): Authorization failed for sendsms",
        ),
        (
            400,
            "Missing receiver number, rejected",
            False,
            False,
            "kannel refused (400): Missing receiver number, rejected",
        ),
        (500, "Internal error", False, True, "kannel answered 500: Internal error"),
        (
            503,
            "Temporal failure, try again later.",
            False,
            True,
            "kannel answered 503: Temporal failure, try again later.",
        ),
        (202, "something else", False, True, "kannel answered 202: something else"),
    ],
)
def test_kannel_answers_become_results(app, status, text, ok, retryable, reason):
    stub = KannelAnswers(status, text)
    try:
        gateway = KannelGateway(stub.url, "asuh", "pw", "ASUH", report_url="http://asuh/d?token=t")
        results = gateway.send(
            Batch(
                "Asuh: halo",
                ["+6281300000001", "+6281300000002"],
                {"+6281300000001": 5, "+6281300000002": 6},
            )
        )
    finally:
        stub.stop()
    assert [(r.ok, r.retryable, r.reason) for r in results] == [(ok, retryable, reason)] * 2
    assert results[0].provider_id == ("kannel:5" if ok else None)
    assert results[0].phone_fault == (status != 403)  # a refused login pauses nobody
    first = stub.requests[0]
    assert (
        first["dlr-mask"] == ["31"] and first["from"] == ["ASUH"] and first["charset"] == ["UTF-8"]
    )
    assert first["dlr-url"] == ["http://asuh/d?token=t&id=5&status=%d&answer=%A"]
    assert "coding" not in first
    # a refused login or an erroring Kannel is asked once, not once per recipient
    assert len(stub.requests) == (1 if status == 403 or retryable else 2)


def test_a_kannel_that_does_not_answer_in_time_is_retried_later(app):
    stub = KannelAnswers(202, "0: Accepted for delivery", delay=2)
    try:
        gateway = KannelGateway(stub.url, "asuh", "pw", "ASUH", timeout=0.5)
        [result] = gateway.send(Batch("Asuh: halo", ["+6281300000001"]))
    finally:
        stub.stop()
    assert (result.ok, result.retryable) == (False, True)
    assert result.reason == "kannel unreachable: ReadTimeout"


# --- dashboard ------------------------------------------------------------------------


def test_the_overview_names_the_gateway_and_its_last_error(app, admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "SMS gateway: <strong>console</strong>" in page and "no error recorded" in page
    note_error("kannel", "kannel unreachable: ConnectionError")
    app.config["SMS_GATEWAY"] = "kannel"
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "SMS gateway: <strong>kannel</strong>" in page
    assert "last error" in page and "kannel unreachable: ConnectionError" in page
