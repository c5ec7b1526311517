"""USSD under load: concurrent sessions over HTTP against gunicorn, next to a baseline route.

Run: .venv/bin/python bench/ussd.py [--duration 10] [--concurrency 32] [--worker-class gthread]

Starts its own redis-server and a fresh SQLite database (`asuh db upgrade`,
`asuh seed-demo --households 200`, a meeting per village), serves the app with gunicorn
(2 workers) and drives simulated callers who dial and walk realistic paths: reading the
lesson page by page and answering it, the next meeting and its RSVP, children, settings,
back and home. In the same run, the same callers hit a baseline route that does only one
Redis GET and one SETEX. Prints hops/s and p50/p99 latency of both, their ratio, and the
Redis memory each live session costs (measured over 1000 sessions left open).
"""

import argparse
import asyncio
import http.client
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench.common

from bench.common import (
    BIN,
    NOT_UP_YET,
    ROOT,
    TOKEN,
    RedisServer,
    asuh,
    free_port,
    scratch_folder,
    sqlite_url,
    stop,
    wait_until,
)
from menus.text import t

WORKERS = 2
THREADS = 4
WARMUP = 2.0
ROUNDS = 5  # project and baseline alternate in this many slices of the duration
THINK = 0.1  # paced run: mean pause before each key (people take seconds; this is busier)
MEMORY_SESSIONS = 1000
PAGES = "pages"  # in a walk: press 98 until the last page
FAILED = {"END " + t(lang, "error.retry") for lang in ("id", "en")}  # the polite failure
TARGETS = {"ratio": 0.5, "p99_ms": 50.0, "bytes_per_session": 1024}

# What callers do after dialling; PAGES reads the rest of a paged text.
WALKS = (
    ("1", PAGES, "1", "0", "2", "1", "0", "7"),  # lesson, answer it, meeting, RSVP, exit
    ("2", "0", "3", "0", "1", "98", "0", "00", "7"),  # meeting, children, lesson page, home
    ("5", "3", "0", "0", "1", "98", "98", "0", "0", "6", "0", "7"),  # settings, lesson, back
    ("1", "98", "00", "3", "1", "0", "0", "2", "2", "0", "7"),  # home mid-lesson, a wrong key
)


def prepare_database(env):
    """Migrate, seed 200 extra households, and give each village a meeting next week."""
    asuh(env, "db", "upgrade", quiet=True)
    asuh(env, "seed-demo", "--households", "200", quiet=True)
    os.environ.update(DATABASE_URL=env["DATABASE_URL"], REDIS_URL=env["REDIS_URL"])
    from service import create_app
    from service.models import Caregiver, Meeting, Village, db, utcnow

    app = create_app()
    with app.app_context():
        for village in db.session.scalars(db.select(Village)):
            when = utcnow() + timedelta(days=6)
            db.session.add(Meeting(village=village, starts_at=when, place="Balai Desa"))
        db.session.commit()
        phones = list(db.session.scalars(db.select(Caregiver.phone)))
        db.session.execute(db.text("PRAGMA journal_mode=WAL"))  # kept in the file: readers
        db.engine.dispose()  # no longer wait on a writer's lock, as on PostgreSQL
    return phones


def start_gunicorn(env, port, worker_class):
    command = [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--worker-class", worker_class]
    if worker_class == "gthread":
        command += ["--threads", str(THREADS)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "30"]
    process = subprocess.Popen([*command, "bench.ussd_baseline_app:create()"], env=env, cwd=ROOT)

    def healthy():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200

    wait_until(healthy, "gunicorn", timeout=30, retry_on=NOT_UP_YET)
    return process


@dataclass
class Tally:
    """Latencies (s) of hops that started inside the measured window."""

    latencies: list = field(default_factory=list)
    errors: int = 0
    cpu: float = 0.0  # server CPU seconds spent on them


class Caller:
    """One simulated phone: a keep-alive HTTP/1.1 connection posting USSD hops.

    A tiny asyncio client keeps the load generator's own CPU small on a 2-core machine.
    """

    def __init__(self, port, path, tally, window=(0.0, 0.0), think=0.0, seed=0):
        self.port = port
        self.path = path
        self.tally = tally
        self.window = window
        self.think = think  # mean seconds a person takes to read and press the next key
        self.rng = random.Random(seed)
        self.streams = None

    async def post(self, body):
        request = (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        for attempt in (1, 2):  # a sync worker closes after each reply: reconnect once
            if self.streams is None:
                self.streams = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self.streams
            try:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status, length, close = parse_head(head)
                reply = await reader.readexactly(length)
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                self.streams = None
                if attempt == 2:
                    raise
                continue
            if close:
                writer.close()
                self.streams = None
            return status, reply.decode()

    async def hop(self, session_id, phone, keys):
        body = urlencode(
            {"sessionId": session_id, "phoneNumber": phone, "serviceCode": "*384*123#",
             "text": "*".join(keys)}
        ).encode()  # fmt: skip
        if self.think:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)
        started = time.monotonic()
        try:
            status, reply = await self.post(body)
        except (OSError, asyncio.IncompleteReadError):
            self.tally.errors += 1
            return "END"
        if status != 200 or not reply.startswith(("CON ", "END ")) or reply in FAILED:
            self.tally.errors += 1
        if self.window[0] <= started < self.window[1]:
            self.tally.latencies.append(time.monotonic() - started)
        return reply

    async def walk(self, session_id, phone, walk):
        """Dial, then press the walk's keys as long as the menu goes on."""
        keys = []
        reply = await self.hop(session_id, phone, keys)
        for key in walk:
            if reply.startswith("END"):
                return
            if key == PAGES:
                while "98 " in reply.rsplit("\n", 1)[-1]:
                    keys.append("98")
                    reply = await self.hop(session_id, phone, keys)
                continue
            keys.append(key)
            reply = await self.hop(session_id, phone, keys)

    def close(self):
        if self.streams is not None:
            self.streams[1].close()


def parse_head(head):
    """(status, content length, whether the server closes) of an HTTP/1.1 reply head."""
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    fields = {name.strip().lower(): value.strip().lower() for name, value in fields.items()}
    return status, int(fields.get("content-length", 0)), fields.get("connection") == "close"


async def drive(port, path, phones, concurrency, duration, label, think=0.0):
    """Callers walk until the window closes; returns the latencies in it and the errors."""
    start = time.monotonic()
    window = (start, start + duration)
    tally = Tally()

    async def run(number):
        caller = Caller(port, path, tally, window, think, seed=f"{label}-{number}")
        rng = random.Random(f"{label}-{number}")
        sessions = 0
        while time.monotonic() < window[1]:
            sessions += 1
            await caller.walk(f"{label}-{number}-{sessions}", rng.choice(phones), rng.choice(WALKS))
        caller.close()

    await asyncio.gather(*(run(number) for number in range(concurrency)))
    return tally


def server_cpu(master_pid):
    """CPU seconds (user + system) used so far by gunicorn's workers, from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def compare(port, master_pid, phones, concurrency, duration):
    """Project and baseline in alternating rounds, so a busy neighbour hurts both alike."""
    await drive(port, f"/ussd?token={TOKEN}", phones, concurrency, WARMUP, "warm")
    await drive(port, "/bench/baseline", phones, concurrency, WARMUP / 4, "warmbase")
    project, base = Tally(), Tally()
    targets = ((project, f"/ussd?token={TOKEN}", "ussd"), (base, "/bench/baseline", "base"))
    for round_ in range(ROUNDS):
        for target, path, label in targets:
            cpu = server_cpu(master_pid)
            slice_ = duration / ROUNDS
            tally = await drive(port, path, phones, concurrency, slice_, f"{label}{round_}")
            target.cpu += server_cpu(master_pid) - cpu
            target.latencies += tally.latencies
            target.errors += tally.errors
    paced = await drive(port, targets[0][1], phones, concurrency, duration, "paced", THINK)
    return project, base, paced


def summary(tally, duration):
    """(hops/s, p50 ms, p99 ms, server CPU ms per hop)."""
    latencies = sorted(tally.latencies)
    if not latencies:
        return 0.0, float("nan"), float("nan"), float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    cpu = tally.cpu / len(latencies) * 1000
    return len(latencies) / duration, statistics.median(latencies) * 1000, p99 * 1000, cpu


async def open_sessions(port, phones):
    """Leave MEMORY_SESSIONS sessions open mid-walk: half reading a lesson, half registering."""
    tally = Tally()
    queue = list(range(MEMORY_SESSIONS))

    async def run():
        caller = Caller(port, f"/ussd?token={TOKEN}", tally)
        while queue:
            number = queue.pop()
            if number % 2:
                await caller.walk(f"mem-{number}", phones[number % len(phones)], ("1", "98"))
            else:
                walk = ("1", "Siti Aminah", "1", "1", "2016")
                await caller.walk(f"mem-{number}", f"+6285777{number:06d}", walk)
        caller.close()

    await asyncio.gather(*(run() for _ in range(16)))
    return tally.errors


def memory_per_session(port, client, phones):
    """Redis bytes per live session (INFO used_memory delta over the session keys)."""
    client.flushdb()
    time.sleep(0.2)
    before = client.info("memory")["used_memory"]
    errors = asyncio.run(open_sessions(port, phones))
    after = client.info("memory")["used_memory"]
    keys = list(client.scan_iter("asuh:ussd:session:*", count=1000))
    sizes = [client.strlen(name) for name in keys]
    return (after - before) / max(len(keys), 1), len(keys), statistics.mean(sizes or [0]), errors


def bench(worker_class, duration, concurrency, env, phones, client):
    port = free_port()
    server = start_gunicorn(env, port, worker_class)
    try:
        project, base, paced = asyncio.run(compare(port, server.pid, phones, concurrency, duration))
        memory = memory_per_session(port, client, phones)
    finally:
        stop(server, timeout=10)
    errors = project.errors + base.errors + paced.errors + memory[3]
    rates = summary(project, duration), summary(base, duration), summary(paced, duration)
    return *rates, errors, memory[:3]


def report(worker_class, concurrency, duration, project, base, paced, errors, memory):
    ratio = project[0] / base[0] if base[0] else 0.0
    per_session, sessions, value_size = memory
    threads = f" x{THREADS} threads" if worker_class == "gthread" else ""
    print(f"\nUSSD bench: {concurrency} concurrent sessions, {duration:.0f} s each, gunicorn "
          f"{WORKERS} workers ({worker_class}{threads})")  # fmt: skip
    print(f"{'':24}{'hops/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'server CPU ms/hop':>20}")
    for name, (rate, p50, p99, cpu) in (("project  POST /ussd", project),
                                        ("baseline GET+SETEX", base)):  # fmt: skip
        print(f"{name:24}{rate:10.1f}{p50:10.2f}{p99:10.2f}{cpu:20.3f}")
    print(
        f"ratio (project/baseline hops/s): {ratio:.2f}   target >= {TARGETS['ratio']}: "
        f"{verdict(ratio >= TARGETS['ratio'])}"
    )
    print(
        f"server CPU per hop, baseline/project: {base[3] / project[3]:.2f} "
        "(the same ratio without the load generator's share of the 2 cores)"
    )
    print(
        f"project p99 with each caller pressing a key every ~{THINK * 1000:.0f} ms "
        f"({paced[0]:.0f} hops/s): {paced[2]:.1f} ms (p50 {paced[1]:.1f})   "
        f"target < {TARGETS['p99_ms']:.0f} ms: {verdict(paced[2] < TARGETS['p99_ms'])}"
    )
    print(
        f"project p99 with no pause between keys (saturated, above): {project[2]:.1f} ms   "
        f"target < {TARGETS['p99_ms']:.0f} ms: {verdict(project[2] < TARGETS['p99_ms'])}"
    )
    print(
        f"Redis per live session: {per_session:.0f} bytes over {sessions} sessions "
        f"(stored value {value_size:.0f} bytes on average)   target < "
        f"{TARGETS['bytes_per_session']}: {verdict(per_session < TARGETS['bytes_per_session'])}"
    )
    print(f"errors (non-200, malformed or 'please try again' replies): {errors}")
    return errors


def verdict(met):
    return "met" if met else "MISSED"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--worker-class", choices=("gthread", "sync", "both"), default="gthread")
    options = parser.parse_args()
    classes = ("gthread", "sync") if options.worker_class == "both" else (options.worker_class,)
    with scratch_folder("ussd") as workdir:
        redis_server = RedisServer()
        env = {
            **os.environ,
            "DATABASE_URL": sqlite_url(workdir),
            "REDIS_URL": redis_server.url,
            "WEBHOOK_TOKEN": TOKEN,
            "ASUH_BENCH_BASELINE": "1",
            "PYTHONPATH": str(ROOT),
        }
        client = redis_server.client
        try:
            phones = prepare_database(env)
            errors = 0
            for worker_class in classes:
                outcome = bench(
                    worker_class, options.duration, options.concurrency, env, phones, client
                )
                errors += report(worker_class, options.concurrency, options.duration, *outcome)
        finally:
            redis_server.stop()
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
