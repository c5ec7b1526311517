"""Send outbox rows through the gateway seam: claimed, batched by body, rate-capped, retried.

The send guarantee (nothing lost, nothing sent twice without need):

- Nothing is lost. A row stays pending until the gateway accepts or refuses it; a job that
  never ran is replaced by the send sweep (every minute), a claim that outlives a dead
  worker lapses after SEND_CLAIM_SECONDS.
- Nothing is sent twice without need. Before each gateway request its rows are marked in
  flight (`in_flight_since`) and committed; the answer is committed right after. A worker
  killed between the two leaves rows whose outcome is unknown: the phone may have the SMS.
  A delivery report that arrives for such a row settles it (matched by its number when the
  provider's id never reached us). Only a row still unreported SEND_REPORT_WAIT_SECONDS
  (30 minutes) after its request is sent again, so a crash repeats at most the one request
  in flight, and only to recipients the gateway never reported on.
- The damage is bounded. One request carries at most SMS_RECIPIENTS_PER_REQUEST (100)
  recipients, so the worst case is that many duplicates, and none with delivery reports on.
- A gateway outage is waited out. Retryable errors back off (30 s doubling to an hour) for
  as long as the SMS is still useful (workers.expiry: a reply a day, a reminder until its
  meeting, a lesson until the next); then the row is `expired`, never sent.
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
from service.states import LEFT_FOR_PHONE, MessageStatus
from workers import outcomes
from workers.context import job
from workers.expiry import expire, useful_until
from workers.gateway import Batch, get_gateway
from workers.queues import OUTBOUND, enqueue, get_queue
from workers.ratelimit import RateLimiter
from workers.transactions import write_lock

JOB_CHUNK = 1000
_COST = re.compile(r"(-?\d+(?:\.\d+)?)")


def enqueue_send(ids, due_by=None):
    """Queue send jobs for these outbox ids (called after the rows commit)."""
    ids = list(ids)
    extra = {} if due_by is None else {"due_by": due_by}
    for start in range(0, len(ids), JOB_CHUNK):
        enqueue(OUTBOUND, send_messages, ids[start : start + JOB_CHUNK], **extra)


def backoff(attempts, base=30):
    """Seconds before retry number `attempts`: 30 s, 1 min, 2 min ... capped at an hour."""
    return min(3600, base * 2 ** max(0, attempts - 1))


def cost_amount(cost):
    """The number in AT's "IDR 250.0000", or None."""
    match = _COST.search(cost or "")
    return float(match.group(1)) if match else None


@job
def send_messages(ids, now=None, due_by=None):
    """Claim the sendable rows among `ids` and send them; returns how many requests went out.

    `now` fixes the clock for the whole job (tests); otherwise each request reads the real
    clock. `due_by` also sends rows due by then (`asuh dispatch --now` ahead of the clock).
    """
    clock = utcnow if now is None else (lambda: now)
    rows = _claim(ids, clock(), due_by)
    if not rows:
        return 0
    with _rows_stay_loaded():
        return _send_groups(_group_by_body(rows), clock)


def _send_groups(groups, clock):
    """One rate-capped request per body and SMS_RECIPIENTS_PER_REQUEST recipients; returns
    the requests made."""
    limiter = RateLimiter(get_redis(), current_app.config["SMS_MAX_PER_SECOND"])
    gateway = get_gateway()
    size = current_app.config["SMS_RECIPIENTS_PER_REQUEST"]
    requests_made = 0
    for body, group in groups.items():
        for start in range(0, len(group), size):
            chunk = group[start : start + size]
            limiter.take(len(chunk))
            _send_chunk(gateway, body, chunk, clock)
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


def _claim(ids, now, due_by=None):
    """Atomically mark rows as ours, so a sweep and a kicked job never send one row twice."""
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)), *sendable(now, due_by))
        .values(claimed_until=now + timedelta(seconds=current_app.config["SEND_CLAIM_SECONDS"]))
        .returning(OutboxMessage.id)
    ).all()
    db.session.commit()
    if not claimed:
        return []
    query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    return db.session.scalars(query).all()


def _group_by_body(rows):
    """Identical bodies together; rows to numbers that said STOP are cancelled, not sent."""
    groups = defaultdict(list)
    stopped = opted_out(row.to_phone for row in rows if row.respect_opt_out)
    for row in rows:
        if row.respect_opt_out and row.to_phone in stopped:
            row.status, row.failure_reason = MessageStatus.CANCELLED, "opted out"
            row.claimed_until, row.in_flight_since = None, None
            continue
        groups[row.body].append(row)
    db.session.commit()
    return groups


def _send_chunk(gateway, body, rows, clock):
    """One gateway request; every row's outcome is committed before the next request."""
    by_phone = defaultdict(list)
    for row in rows:
        by_phone[row.to_phone].append(row)
    refs = {phone: same[0].id for phone, same in by_phone.items()}
    _mark_in_flight(rows, clock())
    results = gateway.send(Batch(body=body, phones=list(by_phone), refs=refs))
    now, retrying = clock(), []
    _reload(rows)
    for result in results:
        for row in by_phone.pop(result.phone, []):
            if _apply(row, result, now):
                retrying.append(row)
    for leftover in by_phone.values():  # the gateway said nothing about them: try again later
        for row in leftover:
            if _retry_later(row, "no result from gateway", now):
                retrying.append(row)
    retry_ids = [row.id for row in retrying]
    retry_at = max((row.send_after for row in retrying), default=now)
    db.session.commit()
    if retry_ids:  # one job for the whole request, so the retry is batched again
        _schedule_retry(retry_ids, retry_at - now)


def _mark_in_flight(rows, now):
    """Committed before the request: a worker killed waiting for the answer leaves rows whose
    outcome is unknown, which are not sent again while a delivery report may still come."""
    for row in rows:
        row.in_flight_since, row.attempts = now, row.attempts + 1
    db.session.commit()


def _reload(rows):
    """Re-read the rows, locked: a delivery report may have overtaken the gateway's answer."""
    write_lock()
    query = select(OutboxMessage).where(OutboxMessage.id.in_([row.id for row in rows]))
    db.session.scalars(query.with_for_update().execution_options(populate_existing=True)).all()


def _apply(row, result, now):
    """Record one recipient's result; returns the row when it is to be retried."""
    row.claimed_until = None
    if row.in_flight_since is None:  # a delivery report settled it while we waited
        _fill_in(row, result, now)
        return None
    row.in_flight_since = None
    if result.ok:
        row.status, row.sent_at, row.provider_id = MessageStatus.SENT, now, result.provider_id
        row.cost, row.cost_amount = result.cost, cost_amount(result.cost)
        row.segments = result.parts or row.segments
        row.failure_reason = None
    elif result.retryable:
        return _retry_later(row, result.reason, now)
    else:
        outcomes.message_failed(row, result.reason or "failed", now, phone_fault=result.phone_fault)
    return None


def _fill_in(row, result, now):
    """What only the gateway's answer carries (id, cost, parts), kept when a report came first."""
    if not result.ok or row.status not in LEFT_FOR_PHONE:
        return
    row.provider_id = row.provider_id or result.provider_id
    row.cost, row.cost_amount = result.cost, cost_amount(result.cost)
    row.segments = result.parts or row.segments
    row.sent_at = row.sent_at or now


def _retry_later(row, reason, now):
    """Back off and retry while the SMS is useful; returns the row, or None once it expired."""
    row.claimed_until, row.in_flight_since = None, None
    retry_at = now + timedelta(
        seconds=backoff(row.attempts, current_app.config["SEND_RETRY_SECONDS"])
    )
    if retry_at >= useful_until(row):
        expire(row, reason or "gateway unavailable")
        return None
    row.failure_reason = f"retrying: {reason}"[:120]
    row.send_after = retry_at
    return row


def _schedule_retry(row_ids, delay):
    """Ask RQ's scheduler to retry; the sweep does it anyway if Redis forgets."""
    with suppress(Exception):  # the sweep is the safety net
        get_queue(OUTBOUND).enqueue_in(delay, send_messages, list(row_ids))


@job
def sweep_pending(now=None, limit=20_000):
    """Queue every pending row that is due and unclaimed: sends what a lost job never sent."""
    now = now or utcnow()
    ids = _due_ids(now, None, limit)
    if ids:
        enqueue_send(ids)
    return len(ids)


def sweep_due_by(due_by, limit=20_000):
    """A tick's part: queue every row due by the tick's instant, even one ahead of the clock
    (reminders written days ahead), so `asuh dispatch --now T` sends all that is due at T."""
    ids = _due_ids(utcnow(), due_by, limit)
    if ids:
        enqueue_send(ids, due_by=due_by)
    return len(ids)


def _due_ids(now, due_by, limit):
    query = select(OutboxMessage.id).where(*sendable(now, due_by))
    return db.session.scalars(query.order_by(OutboxMessage.id).limit(limit)).all()
