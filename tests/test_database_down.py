"""PostgreSQL down while an SMS arrives: the webhook answers 503 (so the provider retries) and
keeps the message in Redis; the clock stores it when the database is back.

The test runs its own PostgreSQL (initdb + pg_ctl in a temporary folder, on a free port, as
the `postgres` user when run as root) so it can stop it; the machine's server is never touched.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from service import create_app
from service.models import InboundMessage, db
from service.redis_keys import INBOUND_KEPT
from tests.conftest import TOKEN
from tests.fixtures.sms import replies_to
from workers.inbound import store_kept
from workers.queues import ALL, worker_connection

pytestmark = pytest.mark.slow

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """A throwaway PostgreSQL server in a folder of its own."""

    def __init__(self):
        self.bin = os.path.dirname(BINARIES[-1])
        self.folder, self.port = tempfile.mkdtemp(prefix="asuh-pg-"), _free_port()
        self.data = os.path.join(self.folder, "data")
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        os.makedirs(self.data)
        if self.user:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _run(self, tool, *args):
        command = [*self.user, os.path.join(self.bin, tool), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = os.path.join(self.folder, "log")
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", log, "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, database):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture
def postgres():
    """(A folder under /tmp, not pytest's: the `postgres` user must be able to reach it.)"""
    if not BINARIES:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql")
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test
            server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture
def private_app(postgres, redis_url):
    from sqlalchemy import create_engine

    engine = create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE DATABASE asuh_down"))
    engine.dispose()
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": postgres.url("asuh_down"),
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"connect_timeout": 2},
            },
            "REDIS_URL": redis_url,
            "WEBHOOK_TOKEN": TOKEN,
            "SECRET_KEY": "test-secret",
            "SMS_GATEWAY": "console",
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def post(client, provider_id, text_):
    form = {"from": "+6281300000001", "to": "12345", "text": text_, "id": provider_id}
    return client.post(f"/sms/inbound?token={TOKEN}", data=form)


def stored():
    db.session.remove()
    return db.session.scalar(select(func.count(InboundMessage.id)))


def run_jobs(redis_url):
    SimpleWorker(list(ALL), connection=worker_connection(redis_url)).work(burst=True)


def test_an_sms_that_arrives_while_postgresql_is_down_is_kept_and_stored_later(
    private_app, postgres, redis_url
):
    client = private_app.test_client()
    redis = worker_connection(redis_url)
    assert post(client, "ATXin_before", "BANTUAN").status_code == 200
    postgres.stop()
    response = post(client, "ATXin_down", "BANTUAN")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert redis.llen(INBOUND_KEPT) == 1
    with pytest.raises(OperationalError):  # the clock's job fails while the database is away
        store_kept()
    assert redis.llen(INBOUND_KEPT) == 1  # ...and keeps the message
    db.session.remove()
    postgres.start()
    assert store_kept() == 1
    assert redis.llen(INBOUND_KEPT) == 0 and stored() == 2
    assert post(client, "ATXin_down", "BANTUAN").status_code == 200  # the provider's retry
    assert stored() == 2  # is the same message
    run_jobs(redis_url)
    row = db.session.scalar(
        select(InboundMessage).where(InboundMessage.provider_id == "ATXin_down")
    )
    assert row.state == "processed" and len(replies_to(row.id)) == 1
