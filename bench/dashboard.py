"""The dashboard at scale: every page timed on 20,000 households, next to a baseline route.

Run: .venv/bin/python bench/dashboard.py [--households 20000] [--messages 6] [--repeat 5]

Starts its own redis-server and a fresh SQLite database in a temporary folder
(`asuh db upgrade`, `asuh seed-demo --households N`), adds `--messages` SMS per household
spread over twelve weeks (delivered, failed, sent) and a meeting per village per fortnight,
then signs in through the real login form and fetches each page `--repeat` times in-process.
In the same run it fetches `/healthz` (one SELECT 1 and one Redis PING) as the baseline.
Prints, per page: median milliseconds, the ratio to the baseline, SQL statements, bytes.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench.common

from bench.common import RedisServer, scratch_folder, sqlite_url

PAGES = (
    "/admin/",
    "/admin/villages",
    "/admin/villages/1",
    "/admin/households",
    "/admin/households?q=Sumini",
    "/admin/households?q=0812 0000 0011",
    "/admin/messages",
    "/admin/messages?status=failed&kind=lesson",
    "/admin/content",
    "/admin/audit",
    "/admin/facilitators",
    "/simulator/",
    "/admin/villages.csv",
    "/admin/households.csv",
)
BASELINE = "/healthz"
LOGIN = ("bench", "bench-password-2026")


def build_app(folder, redis_url):
    os.environ.update(
        DATABASE_URL=sqlite_url(folder),
        REDIS_URL=redis_url,
        SECRET_KEY="bench-secret",
        SMS_GATEWAY="console",
    )
    from service import create_app

    return create_app({"TESTING": False})


def seed(app, households, per_household, rng):
    """Demo data, then twelve weeks of SMS history and fortnightly meetings."""
    runner = app.test_cli_runner()
    for args in (["db", "upgrade"], ["seed-demo", "--households", str(households)]):
        result = runner.invoke(args=args)
        if result.exit_code:
            sys.exit(f"bench: asuh {' '.join(args)} failed:\n{result.output}")
    result = runner.invoke(args=["admin", "create", "--username", LOGIN[0]], input=LOGIN[1] + "\n")
    if result.exit_code:
        sys.exit(f"bench: asuh admin create failed:\n{result.output}")
    with app.app_context():
        add_history(per_household, rng)


def add_history(per_household, rng):
    from service.models import Caregiver, Household, Meeting, OutboxMessage, db, utcnow

    now = utcnow()
    people = db.session.execute(select(Caregiver.phone, Household.village_id).join(Household)).all()
    statuses = ["delivered"] * 8 + ["failed", "sent"]
    rows, key = [], 0
    for phone, village_id in people:
        for _ in range(per_household):
            key += 1
            sent = now - timedelta(days=rng.uniform(0, 83))
            rows.append(
                {
                    "idempotency_key": f"bench-{key}",
                    "to_phone": phone,
                    "body": "Pelajaran minggu ini: waktu berdua 10 menit.",
                    "kind": "lesson",
                    "status": rng.choice(statuses),
                    "village_id": village_id,
                    "sent_at": sent,
                    "created_at": sent,
                    "updated_at": sent,
                    "segments": 1,
                    "cost": "IDR 250.00",
                    "cost_amount": 250.0,
                }
            )
            if len(rows) >= 5000:
                db.session.execute(insert(OutboxMessage), rows)
                rows = []
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    villages = {village_id for _, village_id in people}
    for village_id in villages:
        for week in range(0, 12, 2):
            db.session.add(
                Meeting(
                    village_id=village_id, place="Balai desa", starts_at=now - timedelta(weeks=week)
                )
            )
    db.session.commit()
    return key


def sign_in(client):
    html = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    response = client.post(
        "/admin/login", data={"username": LOGIN[0], "password": LOGIN[1], "csrf_token": token}
    )
    if response.status_code != 302:
        sys.exit(f"bench: sign-in failed ({response.status_code})")


def measure(app, client, path, repeat):
    """(median ms, statements per fetch, bytes) for one page."""
    from service.models import db

    statements = [0]

    def seen(*_args):
        statements[0] += 1

    times, size = [], 0
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            size = len(response.get_data())
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"bench: {path} answered {response.status_code}")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return statistics.median(times), statements[0] / repeat, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--messages", type=int, default=6, help="SMS per household")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with scratch_folder("dashboard") as folder:
        redis_server = RedisServer()
        try:
            app = build_app(folder, redis_server.url)
            started = time.perf_counter()
            seed(app, args.households, args.messages, random.Random(2026))
            print(
                f"seeded {args.households:,} households and {args.households * args.messages:,} "
                f"SMS in {time.perf_counter() - started:.0f} s"
            )
            report(app, args.repeat)
        finally:
            redis_server.stop()


def report(app, repeat):
    client = app.test_client()
    sign_in(client)
    for path in (BASELINE, *PAGES):
        measure(app, client, path, 1)  # warm caches
    baseline, _, _ = measure(app, client, BASELINE, repeat)
    print(f"{'page':44} {'median ms':>10} {'x baseline':>11} {'queries':>8} {'KB':>8}")
    print(f"{BASELINE:44} {baseline:10.1f} {1:11.1f} {'':>8} {'':>8}")
    for path in PAGES:
        ms, statements, size = measure(app, client, path, repeat)
        print(f"{path:44} {ms:10.1f} {ms / baseline:11.1f} {statements:8.0f} {size / 1024:8.1f}")


if __name__ == "__main__":
    main()
