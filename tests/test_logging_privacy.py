"""What the logs carry: no webhook token, no whole phone number, no SMS body at INFO."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from service.models import db
from service.outbox import queue_sms
from service.privacy import scrub
from service.states import MessageKind

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "s3cret-webhook-token-for-the-log-test"
NUMBER = "+6281234567890"
WRITTEN = ["+6281234567890", "081234567890", "0812-3456-7890", "0812 3456 7890", "6281234567890"]


@pytest.mark.parametrize("written", WRITTEN)
def test_scrub_masks_numbers_however_written_and_hides_tokens(written):
    line = f'"GET /sms/inbound?token={SECRET}&from={written} HTTP/1.1" 200'
    cleaned = scrub(line)
    assert SECRET not in cleaned and "token=[hidden]" in cleaned
    assert written not in cleaned and "+62812****7890" in cleaned


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url, data=None):
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn_log(tmp_path, redis_url, database_url):
    """A real gunicorn with the project's settings; yields (base URL, a log reader)."""
    port, log = _free_port(), tmp_path / "web.log"
    env = {
        **os.environ,
        "ASUH_ENV": "development",
        "PORT": str(port),
        "WEBHOOK_TOKEN": SECRET,
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "INBOUND_PROCESSING": "off",
    }
    command = [str(BIN / "gunicorn"), "-c", "python:service.gunicorn_conf", "service:create_app()"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while _request_or_none(f"{base}/healthz") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    yield base, log.read_text
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def _request_or_none(url):
    try:
        return _request(url)
    except OSError:
        return None


def test_the_access_log_has_no_token_and_no_whole_number(app, gunicorn_log):
    base, read_log = gunicorn_log
    form = f"from={NUMBER}&to=123&text=Hubungi+0812+3456+7890&id=ATXlog1".encode()
    assert _request(f"{base}/sms/inbound?token={SECRET}", data=form) == 200
    assert _request(f"{base}/sms/inbound?token=wrong-{SECRET}", data=form) == 403
    for written in WRITTEN:
        _request(f"{base}/admin/households?q={urllib.request.quote(written)}")
    _request(f"{base}/x/{NUMBER}")
    time.sleep(0.5)  # the access log is written after each response
    log = read_log()
    assert "/sms/inbound" in log and "/admin/households" in log
    assert SECRET not in log
    for written in WRITTEN + ["3456-7890", "3456+7890", "81234567890"]:
        assert written not in log, written


def test_error_traces_mask_numbers(app, caplog):
    caplog.set_level(logging.ERROR)
    try:
        db.session.execute(text("SELECT * FROM no_such_table WHERE x = :p"), {"p": NUMBER})
    except Exception:  # noqa: BLE001 - the failure is the point
        logging.getLogger("asuh.test").exception("lookup of %s failed", NUMBER)
    db.session.rollback()
    assert "no_such_table" in caplog.text and "+62812****7890" in caplog.text
    assert NUMBER not in caplog.text and "81234567890" not in caplog.text


def test_the_console_gateway_logs_no_body_and_no_whole_number_at_info(app, run_jobs, caplog):
    caplog.set_level(logging.INFO)
    queue_sms(NUMBER, "Rahasia keluarga: jadwal kunjungan", MessageKind.REPLY, "log-test-1")
    db.session.commit()
    run_jobs()
    sent = [r.getMessage() for r in caplog.records if r.name == "asuh.sms"]
    assert sent and "+62812****7890" in sent[0]
    assert "Rahasia" not in caplog.text and NUMBER not in caplog.text


def test_werkzeug_request_lines_hide_the_token(app, live_server, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    _request(f"{live_server}/ussd?token={SECRET}&phoneNumber={NUMBER}", data=b"x=1")
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/ussd" in line for line in lines)
    assert SECRET not in caplog.text and NUMBER not in caplog.text
