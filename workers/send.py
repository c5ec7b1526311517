"""Send outbox rows through the gateway seam: claimed, batched by body, rate-capped, retried.

A row is claimed (claimed_until) before its request goes out and the result is committed
right after, so a worker killed mid-batch can only ever repeat the one request in flight.
"""

import re
from collections import defaultdict
from contextlib import contextmanager, suppress
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from service.models import OutboxMessage, db, utcnow
from service.outbox import opted_out, sendable
from service.redis_client import get_redis
from service.states import MessageStatus
from workers import outcomes
from workers.context import job
from workers.gateway import Batch, get_gateway
from workers.queues import OUTBOUND, enqueue, get_queue
from workers.ratelimit import RateLimiter

RECIPIENTS_PER_REQUEST = 500
JOB_CHUNK = 1000
MAX_ATTEMPTS = 8
_COST = re.compile(r"(-?\d+(?:\.\d+)?)")


def enqueue_send(ids):
    """Queue send jobs for these outbox ids (called after the rows commit)."""
    ids = list(ids)
    for start in range(0, len(ids), JOB_CHUNK):
        enqueue(OUTBOUND, send_messages, ids[start : start + JOB_CHUNK])


def backoff(attempts, base=30):
    """Seconds before retry number `attempts`: 30 s, 1 min, 2 min ... capped at an hour."""
    return min(3600, base * 2 ** max(0, attempts - 1))


def cost_amount(cost):
    """The number in AT's "IDR 250.0000", or None."""
    match = _COST.search(cost or "")
    return float(match.group(1)) if match else None


@job
def send_messages(ids, now=None):
    """Claim the sendable rows among `ids` and send them; returns how many requests went out."""
    now = now or utcnow()
    rows = _claim(ids, now)
    if not rows:
        return 0
    with _rows_stay_loaded():
        return _send_groups(_group_by_body(rows, now))


def _send_groups(groups):
    """One rate-capped request per body and 500 recipients; returns the requests made."""
    limiter = RateLimiter(get_redis(), current_app.config["SMS_MAX_PER_SECOND"])
    gateway = get_gateway()
    requests_made = 0
    for body, group in groups.items():
        for start in range(0, len(group), RECIPIENTS_PER_REQUEST):
            chunk = group[start : start + RECIPIENTS_PER_REQUEST]
            limiter.take(len(chunk))
            _send_chunk(gateway, body, chunk)
            requests_made += 1
    db.session.commit()
    return requests_made


@contextmanager
def _rows_stay_loaded():
    """Keep claimed rows in memory across the per-request commits instead of re-reading each
    one: only this job changes them while it holds the claim."""
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = expiring


def _claim(ids, now):
    """Atomically mark rows as ours, so a sweep and a kicked job never send one row twice."""
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)), *sendable(now))
        .values(claimed_until=now + timedelta(seconds=current_app.config["SEND_CLAIM_SECONDS"]))
        .returning(OutboxMessage.id)
    ).all()
    db.session.commit()
    if not claimed:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    return db.session.scalars(query).all()


def _group_by_body(rows, now):
    """Identical bodies together; rows to numbers that said STOP are cancelled, not sent."""
    groups = defaultdict(list)
    stopped = opted_out(row.to_phone for row in rows if row.respect_opt_out)
    for row in rows:
        if row.respect_opt_out and row.to_phone in stopped:
            row.status, row.failure_reason, row.claimed_until = (
                MessageStatus.CANCELLED,
                "opted out",
                None,
            )
            continue
        groups[row.body].append(row)
    db.session.commit()
    return groups


def _send_chunk(gateway, body, rows):
    """One gateway request; every row's outcome is committed before the next request."""
    by_phone = defaultdict(list)
    for row in rows:
        by_phone[row.to_phone].append(row)
    refs = {phone: same[0].id for phone, same in by_phone.items()}
    results = gateway.send(Batch(body=body, phones=list(by_phone), refs=refs))
    now, retrying = utcnow(), []
    for result in results:
        for row in by_phone.pop(result.phone, []):
            if _apply(row, result, now):
                retrying.append(row)
    for leftover in by_phone.values():  # the gateway said nothing about them: try again later
        for row in leftover:
            retrying.append(_retry_later(row, "no result from gateway", now))
    retry_ids = [row.id for row in retrying]
    retry_at = max((row.send_after for row in retrying), default=now)
    db.session.commit()
    if retry_ids:  # one job for the whole request, so the retry is batched again
        _schedule_retry(retry_ids, retry_at - now)


def _apply(row, result, now):
    """Record one recipient's result; returns the row when it is to be retried."""
    row.attempts += 1
    row.claimed_until = None
    if result.ok:
        row.status, row.sent_at, row.provider_id = MessageStatus.SENT, now, result.provider_id
        row.cost, row.cost_amount = result.cost, cost_amount(result.cost)
        row.segments = result.parts or row.segments
        row.failure_reason = None
    elif result.retryable and row.attempts < MAX_ATTEMPTS:
        return _retry_later(row, result.reason, now)
    else:
        outcomes.message_failed(row, result.reason or "failed", now, phone_fault=result.phone_fault)
    return None


def _retry_later(row, reason, now):
    row.claimed_until = None
    row.failure_reason = f"retrying: {reason}"[:120]
    row.send_after = now + timedelta(
        seconds=backoff(row.attempts, current_app.config["SEND_RETRY_SECONDS"])
    )
    return row


def _schedule_retry(row_ids, delay):
    """Ask RQ's scheduler to retry; the sweep does it anyway if Redis forgets."""
    with suppress(Exception):  # the sweep is the safety net
        get_queue(OUTBOUND).enqueue_in(delay, send_messages, list(row_ids))


@job
def sweep_pending(now=None, limit=20_000):
    """Queue every pending row that is due and unclaimed: sends what a lost job never sent."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMessage.id).where(*sendable(now)).order_by(OutboxMessage.id).limit(limit)
    ).all()
    if ids:
        enqueue_send(ids)
    return len(ids)
