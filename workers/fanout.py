"""Writing many outbox rows at once, for the scheduler: bulk, idempotent, opt-out aware.

`service.outbox.queue_sms` writes one row per call; a tick writes thousands, so it inserts
them in one statement with ON CONFLICT DO NOTHING on the idempotency key (a second tick or
a retried job writes nothing), applies the same opt-out rule, and kicks the sender itself
after the commit (rows inserted this way are not seen by the session's after-flush hook).
"""

import itertools
import logging
import random
import time
from functools import lru_cache

from sqlalchemy import ARRAY, bindparam, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from service.models import OptOut, OutboxMessage, db
from service.outbox import segment_count
from service.states import MessageStatus

log = logging.getLogger("asuh.dispatch")
OUTBOX = OutboxMessage.__table__
CONTENTION_SECONDS = 60
_TAKE_WRITE_LOCK = text("UPDATE outbox SET id = id WHERE 1 = 0")  # changes no row


def dialect_name():
    """'postgresql' or 'sqlite': the two databases the project runs on."""
    return db.session.get_bind().dialect.name


def write_lock():
    """SQLite: take the single write lock now, not at the first insert, so what a chunk reads
    stays true until it commits (a second clock waits, then reads again)."""
    if dialect_name() == "sqlite":
        db.session.execute(_TAKE_WRITE_LOCK)


def opted_out(phones):
    """The subset of `phones` that said STOP."""
    phones = sorted(set(phones))
    found = set()
    for start in range(0, len(phones), 900):
        chunk = phones[start : start + 900]
        found.update(db.session.scalars(select(OptOut.phone).where(OptOut.phone.in_(chunk))))
    return found


@lru_cache(maxsize=4096)
def _segments(body):
    return segment_count(body)


def outbox_row(key, to, body, kind, **links):
    """One row as a dict for `insert_rows`; `links` are outbox columns (language, ...)."""
    return {
        "idempotency_key": key,
        "to_phone": to,
        "body": body,
        "kind": str(kind),
        "status": str(MessageStatus.PENDING),
        "segments": _segments(body),
        "language": links.pop("language", None),
        "village_id": links.pop("village_id", None),
        "enrollment_id": links.pop("enrollment_id", None),
        "meeting_id": links.pop("meeting_id", None),
        "lesson_id": links.pop("lesson_id", None),
        "send_after": links.pop("send_after", None),
        **links,
    }


def meeting_row(kind, key, meeting, person, body, send_after=None):
    """A row about a meeting to one person, in their language: reminders, notices, summaries."""
    return outbox_row(
        key,
        person.phone,
        body,
        kind,
        language=person.language,
        village_id=meeting.village_id,
        meeting_id=meeting.id,
        send_after=send_after,
    )


def insert_rows(rows, respect_opt_out=True):
    """Insert rows whose key is new and whose number did not say STOP; returns their ids."""
    if respect_opt_out and rows:
        stopped = opted_out(row["to_phone"] for row in rows)
        rows = [row for row in rows if row["to_phone"] not in stopped]
    if not rows:
        return []
    rows = sorted(rows, key=lambda row: row["idempotency_key"])  # one lock order for all ticks
    if dialect_name() == "postgresql":
        return _insert_postgresql(rows)
    statement = (
        sqlite.insert(OUTBOX)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OUTBOX.c.id)
    )
    return list(db.session.execute(statement, rows).scalars())


def _insert_postgresql(rows):
    """INSERT ... SELECT unnest(column arrays): one short statement for the whole chunk.

    A thousand-row VALUES list is a new, long SQL text for the driver to parse every time;
    arrays keep the statement the same size whatever the number of rows.
    """
    rows = _with_defaults(rows)
    names = list(rows[0])
    arrays = [
        func.unnest(
            bindparam(f"rows_{name}", [row[name] for row in rows], type_=ARRAY(OUTBOX.c[name].type))
        )
        for name in names
    ]
    statement = (
        postgresql.insert(OUTBOX)
        .from_select(names, select(*arrays))
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OUTBOX.c.id)
    )
    return list(db.session.execute(statement).scalars())


def _with_defaults(rows):
    """Rows completed with the columns' Python defaults, which INSERT ... SELECT does not apply."""
    defaults = {
        column.name: column.default.arg if column.default.is_scalar else column.default.arg(None)
        for column in OUTBOX.columns
        if column.default is not None and column.name not in rows[0]
    }
    return [{**defaults, **row} for row in rows]


def kick(ids):
    """Queue send jobs for committed rows; if Redis is away, the send sweep finds them later."""
    if not ids:
        return
    try:
        from workers.send import enqueue_send

        enqueue_send(ids)
    except Exception:  # noqa: BLE001 - the sweep is the safety net
        log.warning("could not enqueue send of %d outbox rows; the sweep will", len(ids))


def is_contention(error):
    """True for errors another writer caused: SQLite's lock, PostgreSQL's deadlock."""
    text = str(error.orig if hasattr(error, "orig") else error).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def in_transaction(work, *args):
    """Run `work(*args)` and commit; retried from scratch when another writer got in the way.

    Returns what `work` returns: (result, ids to kick). The work reads again on each try, so a
    retry never repeats what the other writer already did. SQLite lets one writer in at a
    time, so a second clock process waits here (up to CONTENTION_SECONDS) for its turn.
    """
    deadline = time.monotonic() + CONTENTION_SECONDS
    for attempt in itertools.count():
        try:
            outcome = work(*args)
            db.session.commit()
            return outcome
        except OperationalError as error:
            db.session.rollback()
            if not is_contention(error) or time.monotonic() > deadline:
                raise
            time.sleep(min(1.0, 0.02 * 2**attempt) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")
