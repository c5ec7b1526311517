"""Lessons handed to a real Kannel per second by a worker, next to a bare keep-alive HTTP loop.

Run: .venv/bin/python bench/kannel.py [--lessons 5000] [--concurrency 8]

Starts its own redis-server, a fresh SQLite database (or the PostgreSQL database in
BENCH_DATABASE_URL, which it empties), a real Kannel (bearerbox, smsbox and fakesmsc as the
SMS centre, from docs/kannel/kannel.conf exactly as the tests render it) and a small HTTP
sink that answers Kannel's delivery reports. Then, in the same run and into the same Kannel:

- baseline: a bare loop over one keep-alive requests.Session sends the 5,000 (phone, lesson)
  pairs, one sendsms request each, with the same parameters the gateway sends (sender,
  UTF-8 charset, dlr-mask 31 and a per-message dlr-url);
- pipeline: the same 5,000 lessons are written to the outbox and committed, which queues the
  send jobs; one `asuh worker` process (started beforehand, idle) claims the rows and sends
  them through the Kannel gateway. The clock stops when every row is marked sent.

- for scale: the same bare requests again, from as many threads (each with its own keep-alive
  session) as the worker's KANNEL_CONCURRENCY: what HTTP alone can do, without the outbox.

Each phase ends only once fakesmsc has received all its messages and the sink all their
delivery reports, so the next phase has Kannel to itself. Prints the rates and the ratios;
the target is pipeline/baseline of at least 0.5. The gateway rate cap is lifted for the run.

Why the one-at-a-time loop is slow: once delivery reports flow (dlr-mask includes 8, which
fakesmsc acknowledges for every message), Kannel 1.4.5 takes about 20 ms to answer each
sendsms request; a loop spends that time waiting, while the worker keeps several requests
in flight. The threaded line shows what the outbox costs on top of HTTP.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process, Value
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench, tests

from bench.common import (
    TOKEN,
    RedisServer,
    asuh,
    free_port,
    fresh_database,
    scratch_folder,
    start_asuh,
    stop,
    wait_until,
)

LESSON = (
    "Asuh: Anak belajar dari melihat orang dewasa. Coba ini: minggu ini makan bersama sekali "
    "sehari tanpa TV, dan tanyakan satu hal yang membuatnya senang hari itu."
)
RATE_CAP = 1_000_000


def phone(run, n):
    """Distinct numbers per phase, so fakesmsc's tally tells the phases apart."""
    return f"+628{run}{n:08d}"


class Sink(Process):
    """Kannel's delivery reports land here: counted and answered 200, in a process of its own."""

    def __init__(self):
        super().__init__(daemon=True)
        self.port, self.count = free_port(), Value("l", 0)

    def run(self):
        count = self.count

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                with count.get_lock():
                    count.value += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer(("127.0.0.1", self.port), Handler).serve_forever()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


def report_url(sink_url):
    return f"{sink_url}/sms/kannel/delivery?token={TOKEN}"


def bare_sender(rig, sink, run):
    """One sendsms request per call, over this thread's keep-alive session."""
    import requests

    local = threading.local()
    params = {
        "username": "asuh",
        "password": rig.values()["KANNEL_PASSWORD"],
        "from": "ASUH",
        "text": LESSON,
        "charset": "UTF-8",
        "dlr-mask": 31,
    }

    def send(n):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        dlr = f"{report_url(sink.url)}&id={n + 1}&status=%d&answer=%A"
        request = {**params, "to": phone(run, n), "dlr-url": dlr}
        answer = session.get(rig.sendsms_url, params=request)
        if answer.status_code != 202:
            sys.exit(f"bench: Kannel answered {answer.status_code} {answer.text!r}")

    return send


def baseline(rig, sink, count):
    """Messages per second from a plain keep-alive loop of sendsms requests, one at a time."""
    send = bare_sender(rig, sink, run=1)
    started = time.perf_counter()
    for n in range(count):
        send(n)
    return count / (time.perf_counter() - started)


def concurrent_baseline(rig, sink, count, concurrency):
    """The same bare requests from as many threads as the worker uses: HTTP alone, no outbox."""
    send = bare_sender(rig, sink, run=3)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(send, range(count)))
    return count / (time.perf_counter() - started)


def queue_lessons(app, count):
    """The cohort's outbox rows, added but not committed: committing queues the send jobs."""
    from service.models import db
    from service.outbox import queue_sms

    for n in range(count):
        queue_sms(phone(2, n), LESSON, "lesson", f"lesson:cg01:{n}")
    db.session.flush()
    return db.session


def sent_rows(app):
    from sqlalchemy import func, select

    from service.models import OutboxMessage, db

    with app.app_context():
        return db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status != "pending")
        )


def pipeline(app, count):
    """Lessons per second from the commit until the worker has every row marked sent."""
    with app.app_context():
        session = queue_lessons(app, count)
        started = time.perf_counter()
        session.commit()
    wait_until(lambda: sent_rows(app) >= count, "every row sent", timeout=900)
    return count / (time.perf_counter() - started)


def check(app, count):
    """The worker really sent them: every row accepted by Kannel, none failed."""
    from sqlalchemy import func, select

    from service.models import OutboxMessage, db

    with app.app_context():
        statuses = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
    if statuses != {"sent": count}:
        sys.exit(f"bench: outbox ended as {statuses}, expected {count} sent")


def drained(rig, sink, expected_messages, expected_reports):
    """Wait until Kannel has passed everything on, so the next phase starts from quiet."""
    wait_until(lambda: len(rig.received()) >= expected_messages, "fakesmsc receiving all", 900)
    wait_until(lambda: sink.count.value >= expected_reports, "every delivery report", 900)


def environment(database_url, redis_url, rig, sink, concurrency):
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "WEBHOOK_TOKEN": TOKEN,
        "SMS_GATEWAY": "kannel",
        "KANNEL_SENDSMS_URL": rig.sendsms_url,
        "KANNEL_USERNAME": "asuh",
        "KANNEL_PASSWORD": rig.values()["KANNEL_PASSWORD"],
        "KANNEL_SENDER": "ASUH",
        "KANNEL_CONCURRENCY": str(concurrency),
        "PUBLIC_BASE_URL": sink.url,
        "SMS_MAX_PER_SECOND": str(RATE_CAP),
    }


def start_worker(env, redis_url, log):
    from rq import Worker

    from workers.queues import worker_connection

    worker = start_asuh({**os.environ, **env}, "worker", stdout=log, stderr=subprocess.STDOUT)
    connection = worker_connection(redis_url)
    wait_until(lambda: len(Worker.all(connection=connection)) >= 1, "asuh worker", 60)
    return worker


def run(args, workdir):
    from service import create_app
    from tests.fixtures.kannel import KannelRig, program

    if not all(program(name) for name in ("bearerbox", "smsbox", "fakesmsc")):
        sys.exit("bench: Kannel is not installed (apt-get install kannel kannel-extras)")
    redis_server, sink, worker, rig = RedisServer(), Sink(), None, None
    log = (workdir / "worker.log").open("w")
    try:
        sink.start()
        (workdir / "kannel").mkdir()
        rig = KannelRig(workdir / "kannel", sink.url).start()
        env = environment(fresh_database(workdir), redis_server.url, rig, sink, args.concurrency)
        os.environ.update(env)
        asuh({**os.environ, **env}, "db", "upgrade", quiet=True)
        app = create_app()
        loop_rate = baseline(rig, sink, args.lessons)
        drained(rig, sink, args.lessons, 2 * args.lessons)
        worker = start_worker(env, redis_server.url, log)
        worker_rate = pipeline(app, args.lessons)
        check(app, args.lessons)
        drained(rig, sink, 2 * args.lessons, 4 * args.lessons)
        threads_rate = concurrent_baseline(rig, sink, args.lessons, args.concurrency)
        drained(rig, sink, 3 * args.lessons, 6 * args.lessons)
        report(args, app, loop_rate, worker_rate, threads_rate)
    finally:
        stop(worker)
        if rig is not None:
            rig.stop()
        sink.terminate()
        redis_server.stop()
        log.close()


def report(args, app, loop_rate, worker_rate, threads_rate):
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    print(
        f"Kannel bench: {args.lessons} lessons into a real Kannel (fakesmsc as SMS centre), "
        f"{database}, one worker, KANNEL_CONCURRENCY={args.concurrency}"
    )
    print(f"  baseline (bare keep-alive HTTP loop):          {loop_rate:8.1f} SMS/s")
    print(f"  pipeline (outbox -> asuh worker -> Kannel):    {worker_rate:8.1f} SMS/s")
    print(f"  ratio pipeline/baseline: {worker_rate / loop_rate:.3f} (target >= 0.5)")
    print(f"  for scale: bare requests from {args.concurrency} threads: {threads_rate:8.1f} SMS/s")
    print(f"  ratio pipeline/threaded bare requests: {worker_rate / threads_rate:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8, help="KANNEL_CONCURRENCY")
    args = parser.parse_args()
    with scratch_folder("kannel") as workdir:
        try:
            run(args, workdir)
        except BaseException:
            path = workdir / "worker.log"
            if path.exists():
                print(path.read_text()[-3000:], file=sys.stderr)
            raise


if __name__ == "__main__":
    main()
