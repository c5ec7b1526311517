"""Process stored inbound SMS as RQ jobs; a sweep picks up any whose job never ran.

The webhook stores the raw row first, so a message is never lost: a job (retried by RQ) or,
failing that, the sweep carries it out exactly once. Everything a message causes is written
in one transaction with the row's `processed` state (the row locked first), and every SMS it
queues has a key derived from the inbound id, so a repeated job changes nothing and sends
nothing twice. A job whose worker was killed stays "started" in RQ until RQ's own cleanup
(ten minutes); the sweep (every 30 s) does not wait for it: processing takes milliseconds, so
a job started over STALE_AFTER ago on a message still unprocessed is dead and is queued again,
and the message is answered within two minutes of arriving.
"""

import logging
from datetime import timedelta

from flask import current_app
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select

from messages.handlers.router import handle_inbound, reply_key
from messages.replies import reply_text
from service import audit, inbox, phones
from service.models import InboundMessage, db, utcnow
from service.outbox import queue_sms
from service.states import InboundState, MessageKind
from workers.context import job
from workers.queues import INBOUND, enqueue, get_queue
from workers.transactions import write_lock

log = logging.getLogger("asuh.inbound")

RETRY_INTERVALS = [10, 30, 60]
MAX_ATTEMPTS = 1 + len(RETRY_INTERVALS)
SWEEP_AFTER = timedelta(minutes=1)
STALE_AFTER = timedelta(minutes=1)  # a job "started" this long ago on a message was killed
SWEEP_LIMIT = 5000
WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def job_id(inbound_id):
    """One RQ job id per message, so the sweep can see a job that is still waiting."""
    return f"asuh-inbound-{inbound_id}"


def enqueue_processing(inbound_id):
    """Queue the processing job with RQ's retries."""
    return enqueue(
        INBOUND,
        process_inbound,
        inbound_id,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        job_id=job_id(inbound_id),
    )


@job
def process_inbound(inbound_id, now=None):
    """Carry out one message once; True when it was processed by this call."""
    now = now or utcnow()
    write_lock()  # SQLite: the state read below stays true until this job commits
    row = db.session.scalar(
        select(InboundMessage).where(InboundMessage.id == inbound_id).with_for_update()
    )
    if row is None or row.state != InboundState.RECEIVED:
        db.session.rollback()
        return False
    try:
        with audit.operated_by(audit.simulator_operator(row)):
            handle_inbound(row, now)
        row.state, row.processed_at, row.error = InboundState.PROCESSED, now, None
        row.attempts += 1
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        _note_failure(inbound_id, error, now)
        raise
    return True


def _note_failure(inbound_id, error, now):
    """Keep the error on the row; after the last attempt mark it failed and say sorry once."""
    row = db.session.get(InboundMessage, inbound_id)
    row.attempts += 1
    row.error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.state, row.processed_at = InboundState.FAILED, now
        _apologise(row)
    db.session.commit()
    log.warning("inbound %s failed (attempt %s): %s", inbound_id, row.attempts, row.error)


def _apologise(row):
    phone = phones.try_normalise(row.from_phone)
    if phone is None:
        return
    language = current_app.config["DEFAULT_LANGUAGE"]
    body = reply_text("error.internal", language)
    queue_sms(phone, body, MessageKind.REPLY, reply_key(row.id), language=language)


@job
def sweep_unprocessed(now=None, limit=SWEEP_LIMIT):
    """Queue every message still waiting after a minute whose job is gone; returns how many."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(InboundMessage.id)
        .where(
            InboundMessage.state == InboundState.RECEIVED,
            InboundMessage.created_at <= now - SWEEP_AFTER,
        )
        .order_by(InboundMessage.id)
        .limit(limit)
    ).all()
    queued = 0
    for inbound_id in ids:
        if not _job_waiting(inbound_id, now):
            enqueue_processing(inbound_id)
            queued += 1
    return queued


def _job_waiting(inbound_id, now):
    """True while RQ holds a queued or scheduled job for this message, or one that started
    recently enough to be still running."""
    try:
        found = Job.fetch(job_id(inbound_id), connection=get_queue(INBOUND).connection)
    except NoSuchJobError:
        return False
    status = found.get_status(refresh=False)
    if status == JobStatus.STARTED:
        return found.started_at is not None and found.started_at > now - STALE_AFTER
    return status in WAITING


@job
def store_kept(limit=500):
    """Store the SMS kept in Redis while the database was down, and queue their processing;
    returns how many were new. A database still down raises: the next run tries again."""
    forms = inbox.kept(limit)
    stored = [inbox.store_inbound(form) for form in forms]
    inbox.forget(len(forms))
    for inbound_id in filter(None, stored):
        enqueue_processing(inbound_id)
    return sum(1 for inbound_id in stored if inbound_id is not None)
