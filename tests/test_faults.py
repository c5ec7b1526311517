"""Fault tests with real processes: `asuh worker`, `asuh dispatch` and a fake Africa's Talking.

Each test gets its own migrated database (a copy of a SQLite file migrated once with
`asuh db upgrade`, or a PostgreSQL database cloned from a migrated template when
TEST_DATABASE_URL is set), the private test Redis, and the fake gateway as a separate process.
The test plays the clock: it enqueues the send sweep every second, as `rq cron` does every
minute. Claims and retry backoff are shortened through the environment so this takes seconds.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from rq import Queue
from sqlalchemy import create_engine, text

from workers.queues import OUTBOUND

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASUH = str(Path(sys.executable).parent / "asuh")
HOUSEHOLDS = 400
CLOCK_HOUSEHOLDS = 3000  # enough that two ticks started together overlap
WAIT_SECONDS = 40
TOKEN = "faults-token"
REPORT_WAIT_SECONDS = 30  # how long an unanswered request's rows wait for delivery reports


# ---------------------------------------------------------------- databases


def _psycopg(url):
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url, *statements):
    engine = create_engine(_psycopg(_with_database(url, "postgres")), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated, seeded database to copy from: a SQLite file, or a PostgreSQL template.

    Seeded with the demo data and HOUSEHOLDS generated households, all due from now on.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        name = urlsplit(base).path.lstrip("/") + "_faults_tpl"
        _admin(base, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        url = _with_database(base, name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'template.db'}"
    for command in (["db", "upgrade"], ["seed-demo", "--households", str(HOUSEHOLDS)]):
        subprocess.run([ASUH, *command], env=_env(url), check=True, capture_output=True)
    yield url
    if base:
        _admin(base, f"DROP DATABASE IF EXISTS {_run_name(name)}", f"DROP DATABASE {name}")


def _run_name(template):
    return template.replace("_tpl", "_run")


@pytest.fixture
def database(migrated, tmp_path):
    """A fresh copy of the migrated database for one test."""
    if migrated.startswith("sqlite"):
        target = tmp_path / "asuh.db"
        shutil.copy(migrated.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"
    template = urlsplit(migrated).path.lstrip("/")
    name = _run_name(template)
    _admin(
        migrated, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE {template}"
    )
    return _with_database(migrated, name)


def query(url, sql, **params):
    engine = create_engine(_psycopg(url))
    with engine.connect() as connection:
        rows = connection.execute(text(sql), params).all()
    engine.dispose()
    return rows


def execute(url, sql, **params):
    engine = create_engine(_psycopg(url))
    with engine.begin() as connection:
        connection.execute(text(sql), params)
    engine.dispose()


# ---------------------------------------------------------------- processes


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(database_url, redis_url="redis://127.0.0.1:1/0", gateway_url="http://127.0.0.1:1"):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SMS_GATEWAY": "africastalking",
        "AT_BASE_URL": gateway_url,
        "AT_USERNAME": "asuh-faults",
        "AT_API_KEY": "test-key",
        "SMS_MAX_PER_SECOND": "100000",
        "SEND_CLAIM_SECONDS": "3",
        "SEND_RETRY_SECONDS": "1",
        "SEND_REPORT_WAIT_SECONDS": str(REPORT_WAIT_SECONDS),
        "WEBHOOK_TOKEN": TOKEN,
    }


class Gateway:
    """The fake Africa's Talking, run as its own process."""

    def __init__(self, delay=0.0, reports_url=None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "tests.fake_at", "--port", str(self.port)]
        if reports_url:
            command += ["--reports", reports_url]
        self.process = subprocess.Popen(
            [*command, "--delay", str(delay)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # a killed client's broken pipe is expected noise
        )
        _wait(lambda: self._ready(), "the fake gateway to start")

    def _ready(self):
        try:
            return self.get("/_stats") is not None
        except OSError:
            return False

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return json.loads(response.read())

    def post(self, path):
        request = urllib.request.Request(self.url + path, method="POST", data=b"")
        urllib.request.urlopen(request, timeout=5).close()

    def messages(self):
        return [(phone, body) for phone, body, _ in self.get("/_messages")]

    def stop(self):
        self.process.kill()
        self.process.wait()


class Web:
    """The web app under gunicorn, so the fake gateway's delivery reports have somewhere to go."""

    def __init__(self, database, redis_url):
        self.port = _free_port()
        self.reports_url = f"http://127.0.0.1:{self.port}/sms/delivery?token={TOKEN}"
        command = [str(Path(sys.executable).parent / "gunicorn"), "service:create_app()"]
        self.process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            env=_env(database, redis_url),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so stop() reaches gunicorn's worker too
        )
        _wait(self._ready, "the web app to start")

    def _ready(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                return True
        except OSError as error:
            return getattr(error, "code", None) is not None  # answered, even if unhealthy

    def stop(self):
        """Kill gunicorn and its worker: an orphaned worker would keep the database open."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


class Stack:
    """One test's database, Redis and gateway, and the `asuh` processes run against them."""

    def __init__(self, database, redis_url, gateway, web=None):
        self.database, self.redis_url, self.gateway, self.web = database, redis_url, gateway, web
        self.env = _env(database, redis_url, gateway.url)
        self.workers = []

    def asuh(self, *args):
        done = subprocess.run(
            [ASUH, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        errors = [line for line in done.stderr.splitlines() if "Error" in line]
        assert done.returncode == 0, "\n".join(errors) or done.stderr[-2000:]
        return done.stdout

    def start_worker(self):
        """`asuh worker` in its own process group (RQ forks its scheduler inside it)."""
        process = subprocess.Popen(
            [ASUH, "worker"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.workers.append(process)
        return process

    def kill(self, process):
        """SIGKILL the worker and everything it forked: no cleanup, no goodbye."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_workers(self):
        for process in self.workers:
            if process.poll() is None:
                self.kill(process)

    def sweep(self):
        """What the clock does every minute: queue the send sweep."""
        Queue(OUTBOUND, connection=redis.Redis.from_url(self.redis_url)).enqueue(
            "workers.send.sweep_pending"
        )

    def statuses(self):
        return dict(query(self.database, "SELECT status, COUNT(*) FROM outbox GROUP BY status"))

    def outbox(self):
        return query(self.database, "SELECT to_phone, body, status FROM outbox")

    def wait_all_sent(self):
        """Play the clock until every outbox row is sent (or reported delivered)."""

        def done():
            self.sweep()
            statuses = self.statuses()
            return statuses and set(statuses) <= {"sent", "delivered"}

        _wait(done, f"every row to be sent (now {self.statuses()})", interval=1.0)


def _wait(condition, what, interval=0.1, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def stack_with(database, redis_url):
    """Build a Stack with a fake gateway holding each answer `delay` seconds; with `reports`,
    the gateway posts a delivery report for each SMS to the web app, as AT does;
    `claim_seconds` sets how long a (dead) worker's claim on its rows lasts."""
    made = []

    def build(delay=0.0, reports=False, claim_seconds=None):
        web = Web(database, redis_url) if reports else None
        stack = Stack(database, redis_url, Gateway(delay, web and web.reports_url), web)
        if claim_seconds is not None:
            stack.env["SEND_CLAIM_SECONDS"] = str(claim_seconds)
        made.append(stack)
        return stack

    yield build
    for stack in made:
        stack.stop_workers()
        stack.gateway.stop()
        if stack.web:
            stack.web.stop()


def morning_in_indonesia():
    """An instant after every seeded enrollment fell due, inside the morning window in WIB and
    WITA (08:30 WIB): tomorrow's 01:30 UTC."""
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    return tomorrow.replace(hour=1, minute=30, second=0, microsecond=0)


def share_bodies(stack):
    """Start caregivers at lesson 2, which has no {name}: bodies repeat and batch together."""
    execute(stack.database, "UPDATE enrollments SET position = 1 WHERE track = 'caregiver'")


def dispatch(stack, now):
    return stack.asuh("dispatch", "--now", now.isoformat())


def assert_each_row_received(stack, at_most_extra=0, extra_from=()):
    """Every row reached the gateway; extra copies only for the phones allowed to have them."""
    rows = stack.outbox()
    received = Counter(stack.gateway.messages())
    wanted = Counter((phone, body) for phone, body, _ in rows)
    assert all(received[key] >= 1 for key in wanted), "a due message was lost"
    extra = received - wanted
    assert sum(extra.values()) <= at_most_extra
    assert {phone for phone, _ in extra} <= set(extra_from)
    return sum(extra.values())


# ---------------------------------------------------------------- the faults


def kill_during_a_full_request(stack, at_least=50):
    """Dispatch, start a worker and SIGKILL it while the gateway holds a request to at least
    `at_least` recipients (the shared lesson, batched), after one request was answered."""
    share_bodies(stack)
    dispatch(stack, morning_in_indonesia())
    total = sum(stack.statuses().values())
    assert total > HOUSEHOLDS
    worker = stack.start_worker()

    def holding_a_full_request():
        requests = stack.gateway.get("/_requests")
        return len(requests) >= 2 and len(requests[-1]) >= at_least  # one answered before

    _wait(holding_a_full_request, f"a request to {at_least} or more")
    stack.kill(worker)  # the request is recorded by the gateway, its answer not yet read
    at_kill = stack.statuses()
    in_flight = stack.gateway.get("/_requests")[-1]
    assert 0 < at_kill.get("pending", 0) < total, f"not killed mid-batch: {at_kill}"
    return total, in_flight


def assert_requests_capped(stack, cap=100):
    sizes = [len(recipients) for recipients in stack.gateway.get("/_requests")]
    assert max(sizes) <= cap, sizes


def test_a_worker_killed_mid_request_repeats_nothing_when_delivery_reports_arrive(stack_with):
    # the dead worker's claim outlives the reports, as in production (5 minutes)
    stack = stack_with(delay=0.4, reports=True, claim_seconds=10)
    total, in_flight = kill_during_a_full_request(stack)
    stack.start_worker()
    stack.wait_all_sent()
    extra = assert_each_row_received(stack)  # each exactly once
    assert_requests_capped(stack)
    assert len(stack.outbox()) == total
    print(f"killed mid-batch, reports on: {total} rows, {len(in_flight)} in flight, {extra} twice")


def test_a_worker_killed_mid_request_without_reports_repeats_one_capped_request_late(
    stack_with,
):
    stack = stack_with(delay=0.4)
    total, in_flight = kill_during_a_full_request(stack)
    killed_at = time.monotonic()
    stack.start_worker()
    others = total - len(in_flight)

    def others_sent():
        stack.sweep()
        return stack.statuses().get("sent", 0) >= others

    _wait(others_sent, f"the other rows to be sent (now {stack.statuses()})", interval=1.0)
    if time.monotonic() - killed_at < REPORT_WAIT_SECONDS - 2:  # reports might still come
        assert stack.statuses().get("pending", 0) == len(in_flight)
        assert Counter(stack.gateway.messages()).most_common(1)[0][1] == 1
    stack.wait_all_sent()
    extra = assert_each_row_received(stack, at_most_extra=len(in_flight), extra_from=in_flight)
    assert_requests_capped(stack)
    assert len(in_flight) <= 100
    print(f"killed mid-batch, no reports: {total} rows, {len(in_flight)} in flight, {extra} twice")


def test_redis_flushed_between_ticks_loses_nothing(stack_with):
    stack = stack_with()
    share_bodies(stack)
    first = morning_in_indonesia()
    dispatch(stack, first)
    redis.Redis.from_url(stack.redis_url).flushall()  # the send jobs of the first tick are gone
    stack.start_worker()
    time.sleep(1.5)
    assert stack.gateway.get("/_stats")["messages"] == 0  # nothing would ever send them...
    stack.wait_all_sent()  # ...but the sweep finds the rows in the database
    dispatch(stack, first + timedelta(days=7))  # the next lessons
    redis.Redis.from_url(stack.redis_url).flushall()
    stack.wait_all_sent()
    assert_each_row_received(stack)  # each exactly once
    lessons = query(stack.database, "SELECT COUNT(*) FROM outbox WHERE kind = 'lesson'")[0][0]
    assert lessons >= 2 * HOUSEHOLDS


def test_a_gateway_answering_500_for_a_while_gets_everything_once_it_recovers(stack_with):
    stack = stack_with()
    share_bodies(stack)
    dispatch(stack, morning_in_indonesia())
    stack.gateway.post("/_outage?count=3")
    stack.start_worker()
    stack.wait_all_sent()
    assert_each_row_received(stack)  # each exactly once
    stats = stack.gateway.get("/_stats")
    retried = query(stack.database, "SELECT COUNT(*) FROM outbox WHERE attempts > 1")[0][0]
    assert retried > 0 and stats["requests"] > 3


def test_two_clock_processes_at_once_write_each_lesson_once(stack_with):
    stack = stack_with()
    stack.asuh("seed-demo", "--households", str(CLOCK_HOUSEHOLDS - HOUSEHOLDS))
    now = morning_in_indonesia().isoformat()
    command = [ASUH, "dispatch", "--now", now]
    clocks = [
        subprocess.Popen(command, env=stack.env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [clock.communicate(timeout=120)[0] for clock in clocks]
    assert [clock.returncode for clock in clocks] == [0, 0]
    written = sum(int(output.split()[0]) for output in outputs)
    per_enrollment = query(
        stack.database,
        "SELECT enrollment_id, COUNT(*) FROM outbox WHERE kind = 'lesson' GROUP BY enrollment_id",
    )
    assert written == len(per_enrollment) >= CLOCK_HOUSEHOLDS
    print(f"two clocks wrote {[output.split()[0] for output in outputs]} lessons")
    assert {count for _, count in per_enrollment} == {1}
    positions = query(
        stack.database,
        "SELECT position, COUNT(*) FROM enrollments WHERE track = 'caregiver' GROUP BY position",
    )
    assert dict(positions) == {1: len(per_enrollment) - _non_caregiver_lessons(stack)}


def _non_caregiver_lessons(stack):
    sql = (
        "SELECT COUNT(*) FROM outbox JOIN enrollments ON enrollments.id = outbox.enrollment_id "
        "WHERE outbox.kind = 'lesson' AND enrollments.track <> 'caregiver'"
    )
    return query(stack.database, sql)[0][0]
