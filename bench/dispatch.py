"""Due lessons dispatched and sent per second, next to a naive loop of one SDK call per message.

Run: .venv/bin/python bench/dispatch.py [--n 20000] [--scenario first|second|both]

Starts its own redis-server on a free port, a fresh SQLite database (or the PostgreSQL
database in BENCH_DATABASE_URL, which it empties), the fake Africa's Talking server as a
separate process, and `asuh seed-demo --households N` (N due caregivers, plus the demo
villages, facilitators and migrant parents). Then, for each scenario, in the same run:

- pipeline: one scheduling tick (workers.tick.tick, in this process, as of a morning
  instant when every caregiver's window is open) writes the outbox rows and queues send jobs;
  one `asuh worker` process (started beforehand, idle) claims them, groups identical bodies
  into bulk requests of up to 500 recipients and sends them through the official SDK to the
  fake server. The clock stops when the fake server has received every row.
- naive: the very same (phone, body) pairs, one `SMSService.send` call per message, in a
  plain loop, to the same fake server.

Scenarios: `first` starts caregivers at lesson 1, `second` at lesson 2. Lessons carry no
per-person placeholder, so bodies repeat (one per age band, language and regional override)
and batch into bulk requests.
The gateway rate cap (SMS_MAX_PER_SECOND) is raised so the pipeline, not the cap, is measured.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench, tests

from bench.common import (
    FakeGateway,
    RedisServer,
    asuh,
    fresh_database,
    gateway_environment,
    scratch_folder,
    start_asuh,
    stop,
    wait_until,
)

RATE_CAP = 1_000_000
STARTING_POSITION = {"first": 0, "second": 1}


def morning():
    """Tomorrow 01:30 UTC: 08:30 WIB, 09:30 WITA, after every seeded enrollment fell due."""
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    return tomorrow.replace(hour=1, minute=30, second=0, microsecond=0)


def reset_schedule(position):
    """Every enrollment due again from `position`, and an empty outbox."""
    from service.models import Enrollment, OutboxMessage, db, utcnow
    from service.states import EnrollmentState, Track

    db.session.execute(OutboxMessage.__table__.delete())
    db.session.execute(
        Enrollment.__table__.update().values(
            position=0,
            last_lesson_id=None,
            next_due_at=utcnow(),
            last_sent_at=None,
            state=EnrollmentState.ACTIVE,
        )
    )
    db.session.execute(
        Enrollment.__table__.update()
        .where(Enrollment.track == str(Track.CAREGIVER))
        .values(position=position)
    )
    db.session.commit()


def run_pipeline(gateway, now):
    """One tick here, sending by the worker process; seconds until the gateway has every row."""
    from service.models import OutboxMessage, db
    from workers.tick import tick

    gateway.reset()
    started = time.perf_counter()
    tick(now)
    ticked = time.perf_counter()
    total = db.session.query(OutboxMessage).count()
    wait_until(lambda: gateway.stats()["messages"] >= total, "every message reaching the fake", 600)
    return total, ticked - started, time.perf_counter() - started, gateway.stats()["requests"]


def run_naive(gateway):
    """The same messages, one SDK call each, in a loop: what a simple script would do."""
    from africastalking.SMS import SMSService
    from sqlalchemy import select

    from service.models import OutboxMessage, db

    pairs = db.session.execute(
        select(OutboxMessage.to_phone, OutboxMessage.body).order_by(OutboxMessage.id)
    ).all()
    sms = SMSService("bench", "bench-key")
    sms._baseUrl = gateway.url + "/version1"
    gateway.reset()
    started = time.perf_counter()
    for phone, body in pairs:
        sms.send(body, [phone])
    elapsed = time.perf_counter() - started
    assert gateway.stats()["messages"] == len(pairs)
    return len(pairs), elapsed


def distinct_bodies():
    from sqlalchemy import func, select

    from service.models import OutboxMessage, db

    return db.session.scalar(select(func.count(func.distinct(OutboxMessage.body))))


def measure(scenario, gateway, now):
    """Both sides of one scenario; returns a result line."""
    reset_schedule(STARTING_POSITION[scenario])
    total, tick_seconds, pipeline_seconds, requests = run_pipeline(gateway, now)
    bodies = distinct_bodies()
    naive_total, naive_seconds = run_naive(gateway)
    pipeline_rate, naive_rate = total / pipeline_seconds, naive_total / naive_seconds
    return (
        f"{scenario:8} {total:6d} msgs  {bodies:6d} bodies  {requests:6d} requests  "
        f"tick {tick_seconds:6.2f} s  pipeline {pipeline_rate:8.0f} msg/s  "
        f"naive {naive_rate:6.0f} msg/s  ratio {pipeline_rate / naive_rate:5.1f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="due caregivers (households)")
    parser.add_argument("--scenario", choices=["first", "second", "both"], default="both")
    args = parser.parse_args()
    scenarios = ["first", "second"] if args.scenario == "both" else [args.scenario]
    with scratch_folder("dispatch") as workdir:
        redis_server = RedisServer()
        gateway = FakeGateway()
        worker = None
        try:
            env = gateway_environment(
                fresh_database(workdir), redis_server.url, gateway.url, RATE_CAP
            )
            os.environ.update(env)
            child_env = {**os.environ, **env}
            asuh(child_env, "db", "upgrade")
            asuh(child_env, "seed-demo", "--households", str(args.n))
            worker = start_asuh(child_env, "worker", stderr=subprocess.DEVNULL)
            from service import create_app

            app = create_app()
            lines = []
            with app.app_context():
                for scenario in scenarios:
                    lines.append(measure(scenario, gateway, morning()))
            print(
                f"\nbench/dispatch.py: {args.n} due caregivers, one worker, database "
                f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}"
            )
            print("\n".join(lines))
        finally:
            stop(worker)
            gateway.stop()
            redis_server.stop()


if __name__ == "__main__":
    main()
