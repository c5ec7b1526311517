"""Registrations by SMS per second, end to end, next to a baseline that only stores the raw SMS.

Run: .venv/bin/python bench/inbound.py [--messages 400] [--workers 1]

Starts its own redis-server on a free port, a fresh SQLite database (or the PostgreSQL
database in BENCH_DATABASE_URL, which it empties), a fake Africa's Talking server in this
process, and seeds villages with facilitators. Then, in the same run:

- baseline: facilitators' DAFTAR messages are POSTed to /sms/inbound (Flask test client, the
  full WSGI stack) with processing switched off (INBOUND_PROCESSING=off): each request only
  stores the raw row and answers 200.
- pipeline: the same kind of messages are POSTed with processing on while `asuh worker`
  processes run: each message is stored, queued, parsed by the RQ job, a household is
  registered, and the reply and the welcome SMS are sent through the real Africa's Talking SDK
  to the fake server. The clock stops when the fake server has every reply and welcome.

Prints both rates (messages per second) and their ratio. The gateway rate cap is raised for
the run (SMS_MAX_PER_SECOND) so that the pipeline, not the cap, is measured.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench, tests

from bench.common import (
    TOKEN,
    RedisServer,
    fresh_database,
    gateway_environment,
    scratch_folder,
    start_asuh,
    stop,
    wait_until,
)

VILLAGES = 5
RATE_CAP = 100_000


def prepare_database(app):
    """Migrate the empty database and seed villages, each with one facilitator."""
    from flask_migrate import upgrade

    from service.models import Facilitator, Village, db

    with app.app_context():
        upgrade()
        for n in range(VILLAGES):
            village = Village(name=f"Bench {n}", district="Blitar", province="Jawa Timur")
            db.session.add(village)
            person = Facilitator(name=f"Fasilitator {n}", phone=facilitator(n), village=village)
            db.session.add(person)
        db.session.commit()


def facilitator(n):
    return f"+628110000{n:04d}"


def letters(n):
    """A name part made of letters only (digits in a name would be a stray field)."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[digit]
        if n == 0:
            return word.capitalize()


def registration(n, run):
    """One facilitator's DAFTAR for a new caregiver; numbers differ between the two runs."""
    phone = f"0857{10_000_000 + run * 1_000_000 + n}"
    return {
        "from": facilitator(n % VILLAGES),
        "to": "12345",
        "text": f"DAFTAR Ibu {letters(n)} {phone} nenek 2016 2019-03",
        "date": "2026-05-04 10:00:00",
        "id": f"bench-{run}-{n}",
    }


def post_all(client, forms):
    for form in forms:
        response = client.post(f"/sms/inbound?token={TOKEN}", data=form)
        if response.status_code != 200:
            sys.exit(f"bench: webhook answered {response.status_code}")


def baseline(app, count):
    """Messages per second when the webhook only stores the raw row."""
    app.config["INBOUND_PROCESSING"] = False
    client = app.test_client()
    forms = [registration(n, run=0) for n in range(count)]
    started = time.perf_counter()
    post_all(client, forms)
    return count / (time.perf_counter() - started)


def start_workers(env, count, redis_url, log):
    from rq import Worker

    from workers.queues import worker_connection

    processes = [
        start_asuh({**os.environ, **env}, "worker", stdout=log, stderr=subprocess.STDOUT)
        for _ in range(count)
    ]
    connection = worker_connection(redis_url)
    wait_until(lambda: len(Worker.all(connection=connection)) >= count, "asuh worker")
    return processes


def pipeline(app, fake, count):
    """Registrations per second from the first POST until every reply and welcome was sent."""
    app.config["INBOUND_PROCESSING"] = True
    client = app.test_client()
    forms = [registration(n, run=1) for n in range(count)]
    fake.state.reset()
    started = time.perf_counter()
    post_all(client, forms)
    wait_until(lambda: len(fake.messages) >= 2 * count, "every reply and welcome", 300)
    return count / (time.perf_counter() - started)


def check(app, count):
    """The pipeline really did the work: one household per message, every row processed."""
    from sqlalchemy import func, select

    from service.models import Household, InboundMessage, db

    with app.app_context():
        households = db.session.scalar(select(func.count(Household.id)))
        processed = db.session.scalar(
            select(func.count(InboundMessage.id)).where(InboundMessage.state == "processed")
        )
    if households != count or processed != count:
        sys.exit(f"bench: {households} households, {processed} processed; expected {count}")


def run(args, workdir):
    from service import create_app
    from tests.fake_at import FakeAfricasTalking

    redis_server = RedisServer()
    log = (workdir / "workers.log").open("w")
    fake = FakeAfricasTalking().start()
    workers = []
    try:
        redis_url = redis_server.url
        env = gateway_environment(fresh_database(workdir), redis_url, fake.url, RATE_CAP)
        env["WEBHOOK_TOKEN"] = TOKEN
        os.environ.update(env)
        app = create_app()
        prepare_database(app)
        store_rate = baseline(app, args.messages)
        workers = start_workers(env, args.workers, redis_url, log)
        end_to_end = pipeline(app, fake, args.messages)
        check(app, args.messages)
        report(args, app, store_rate, end_to_end)
    finally:
        stop(*workers)
        fake.stop()
        redis_server.stop()
        log.close()


def report(args, app, store_rate, end_to_end):
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    print(f"inbound SMS bench: {args.messages} messages, {args.workers} worker(s), {database}")
    print(f"  baseline  (store raw row only):          {store_rate:8.1f} messages/s")
    print(f"  pipeline  (store, job, register, 2 SMS): {end_to_end:8.1f} registrations/s")
    print(f"  ratio pipeline/baseline: {end_to_end / store_rate:.3f}")


def show_worker_log(workdir, lines=30):
    path = workdir / "workers.log"
    if path.exists():
        print("".join(path.read_text().splitlines(keepends=True)[-lines:]), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: terminated"))  # still clean up
    with scratch_folder("inbound") as workdir:
        try:
            run(args, workdir)
        except BaseException:
            show_worker_log(workdir)
            raise


if __name__ == "__main__":
    main()
