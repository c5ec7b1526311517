"""What the benchmark scripts share: private servers on free ports, a scratch database, `asuh`.

Every bench starts its own redis-server (and, for the SMS benches, a fake Africa's Talking
server) and a fresh database, so it never touches real data and two runs never collide.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin folder, where `asuh` and `gunicorn` live
TOKEN = "bench-token"  # WEBHOOK_TOKEN of the app under test
NOT_UP_YET = (OSError, redis.RedisError, http.client.HTTPException)  # a server still starting


def free_port():
    """A local TCP port nobody listens on, so private servers never clash with real ones."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, what, timeout=60.0, retry_on=()):
    """Poll check() every 50 ms, since servers and workers finish asynchronously; exit if never."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except retry_on:
            pass
        time.sleep(0.05)
    sys.exit(f"bench: {what} did not happen within {timeout:.0f} s")


def stop(*processes, timeout=30):
    """Terminate all, then wait for each, so they shut down together and none outlives the bench."""
    running = [process for process in processes if process is not None]
    for process in running:
        process.terminate()
    for process in running:
        process.wait(timeout=timeout)


@contextmanager
def scratch_folder(name):
    """A temporary folder for the database and logs, removed however the bench ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"asuh-bench-{name}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class RedisServer:
    """A private, memory-only redis-server on a free port, so a bench never shares a Redis."""

    def __init__(self):
        executable = shutil.which("redis-server")
        if executable is None:
            sys.exit("bench: redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        self.client = redis.Redis(port=self.port)
        try:
            wait_until(self.client.ping, "redis-server", timeout=30, retry_on=NOT_UP_YET)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        """Shut the server down; it keeps nothing on disk."""
        stop(self.process, timeout=10)


class FakeGateway:
    """tests/fake_at.py in its own process, so serving the SMS API costs this process no GIL."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fake_at", "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(self._answers, "the fake gateway", timeout=10, retry_on=NOT_UP_YET)
        except BaseException:
            self.stop()
            raise

    def _answers(self):
        return self.stats() is not None

    def stats(self):
        """The fake's counters (messages, requests), read over its control endpoint."""
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as response:
            return json.loads(response.read())

    def reset(self):
        """Forget everything received, so each measurement counts only its own messages."""
        request = urllib.request.Request(self.url + "/_reset", method="POST", data=b"")
        urllib.request.urlopen(request, timeout=10).close()

    def stop(self):
        """Shut the fake down."""
        stop(self.process)


def sqlite_url(folder):
    """A new SQLite file in the scratch folder, so it is deleted with the folder."""
    return f"sqlite:///{folder / 'bench.db'}"


def fresh_database(folder):
    """BENCH_DATABASE_URL with its public schema dropped, or a new SQLite file: always empty."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return sqlite_url(folder)
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def gateway_environment(database_url, redis_url, at_url, rate_cap):
    """SMS through the real SDK to the fake gateway, rate cap lifted so the pipeline is measured."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SMS_GATEWAY": "africastalking",
        "AT_BASE_URL": at_url,
        "AT_USERNAME": "bench",
        "AT_API_KEY": "bench-key",
        "SMS_MAX_PER_SECOND": str(rate_cap),
    }


def asuh(env, *args, quiet=False):
    """Run one `asuh` subcommand from the repo root, as an operator would; failure ends the run."""
    stdout = subprocess.DEVNULL if quiet else None
    subprocess.run([str(BIN / "asuh"), *args], env=env, cwd=ROOT, check=True, stdout=stdout)


def start_asuh(env, *args, **streams):
    """Start a long-running `asuh` subcommand (a worker) from the repo root, in the background."""
    return subprocess.Popen([str(BIN / "asuh"), *args], env=env, cwd=ROOT, **streams)
