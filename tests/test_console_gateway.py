"""The development console gateway reports delivery a few seconds after sending, at a
plausible price, and the dashboard says so when a gateway gives no delivery reports."""

from datetime import timedelta

from rq import Queue
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from service.models import OutboxMessage, db, utcnow
from service.outbox import queue_sms
from workers.queues import OUTBOUND, worker_connection


def rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def release_scheduled(redis_url):
    """Move the scheduled jobs onto their queue, as RQ's scheduler does when they fall due;
    returns how many seconds ahead each was scheduled."""
    connection = worker_connection(redis_url)
    queue = Queue(OUTBOUND, connection=connection)
    registry = ScheduledJobRegistry(queue=queue)
    ahead = []
    for job_id in registry.get_job_ids():
        ahead.append((registry.get_scheduled_time(job_id) - utcnow()).total_seconds())
        registry.remove(job_id)
        queue.enqueue_job(Job.fetch(job_id, connection=connection))
    return ahead


def test_console_sms_are_sent_at_a_price_and_reported_delivered_seconds_later(
    app, run_jobs, redis_url
):
    queue_sms("+6281300000001", "Halo", "reply", "k1")
    queue_sms("+6281300000002", "Halo", "reply", "k2")
    queue_sms("+6281300000003", "x" * 200, "reply", "k3")  # two parts
    db.session.commit()
    run_jobs()
    assert [(r.status, r.cost_amount, r.segments) for r in rows()] == [
        ("sent", 250.0, 1),
        ("sent", 250.0, 1),
        ("sent", 500.0, 2),
    ]
    ahead = release_scheduled(redis_url)
    assert ahead and all(1 <= seconds <= 4 for seconds in ahead)
    run_jobs()
    assert {r.status for r in rows()} == {"delivered"}
    assert all(r.delivered_at is not None for r in rows())


def test_no_reports_when_turned_off(app, run_jobs, redis_url):
    app.config["CONSOLE_REPORT_SECONDS"] = 0
    queue_sms("+6281300000001", "Halo", "reply", "k1")
    db.session.commit()
    run_jobs()
    assert release_scheduled(redis_url) == []
    assert rows()[0].status == "sent"


def sent_earlier(phone, status, hours=2):
    row = queue_sms(phone, "Halo", "lesson", f"k:{phone}")
    db.session.flush()
    row.status, row.sent_at = status, utcnow() - timedelta(hours=hours)
    db.session.commit()
    return row


NOTICE = 'id="no-reports"'


def test_the_overview_says_when_the_gateway_sends_no_reports(admin_client):
    assert NOTICE not in admin_client.get("/admin/").get_data(as_text=True)  # nothing sent
    sent_earlier("+6281300000001", "sent")
    sent_earlier("+6281300000002", "sent", hours=0)  # too recent to judge
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert NOTICE in html and "delivery rates are unknown, not zero" in html
    sent_earlier("+6281300000003", "delivered")
    assert NOTICE not in admin_client.get("/admin/").get_data(as_text=True)
