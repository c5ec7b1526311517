"""An inbound SMS whose job was killed mid-run is processed again within two minutes.

A real `asuh worker` process takes the job, is held inside it by a lock this test owns on the
database, and is SIGKILLed there: RQ still calls the job "started" and would leave it so until
its ten-minute cleanup. The sweep (every 30 s) must not wait that long, nor steal a live job.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from rq.job import Job, JobStatus
from sqlalchemy import create_engine, text

from tests.fixtures.sms import inbound_row, post_inbound, replies_to
from workers.cron import SCHEDULE_TABLE
from workers.inbound import job_id, sweep_unprocessed
from workers.queues import worker_connection

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASUH = str(Path(sys.executable).parent / "asuh")


@contextmanager
def holding(database_url, inbound_id):
    """Hold the lock the job needs first: the row on PostgreSQL, the write lock on SQLite."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(database_url)
    with engine.connect() as connection:
        connection.execute(
            text("SELECT id FROM inbound WHERE id = :id FOR UPDATE"), {"id": inbound_id}
        )
        yield
        connection.rollback()
    engine.dispose()


def start_worker(database_url, redis_url):
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    return subprocess.Popen(
        [ASUH, "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until_started(redis_url, inbound_id, seconds=60):
    connection = worker_connection(redis_url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.fetch(job_id(inbound_id), connection=connection)
        if job.get_status() == JobStatus.STARTED:
            return job.started_at
        time.sleep(0.05)
    raise AssertionError("the worker never started the job")


def test_a_message_whose_worker_was_killed_is_processed_within_two_minutes(
    app, client, run_jobs, redis_url, database_url
):
    response, provider_id = post_inbound(client, "+6281300000001", "BANTUAN")
    assert response.status_code == 200
    inbound_id = inbound_row(provider_id).id
    with holding(database_url, inbound_id):
        worker = start_worker(database_url, redis_url)
        try:
            started = wait_until_started(redis_url, inbound_id)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    assert inbound_row(provider_id).state == "received"
    assert sweep_unprocessed(now=started + timedelta(seconds=50)) == 0  # may still be running
    assert sweep_unprocessed(now=started + timedelta(seconds=90)) == 1  # it is not
    run_jobs()
    row = inbound_row(provider_id)
    assert row.state == "processed" and len(replies_to(row.id)) == 1


def test_the_clock_sweeps_inbound_every_thirty_seconds():
    assert ("workers.inbound", "sweep_unprocessed", "asuh-schedule", 30) in SCHEDULE_TABLE
