"""A scheduler's transaction: retried from scratch when another writer got in the way.

Writing rows is the outbox's job (`service.outbox.insert_rows`); the outbox also kicks the
sender when the transaction commits.
"""

import itertools
import random
import time

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from service.models import db, dialect_name

CONTENTION_SECONDS = 60
_TAKE_WRITE_LOCK = text("UPDATE outbox SET id = id WHERE 1 = 0")  # changes no row


def write_lock():
    """SQLite: take the single write lock now, not at the first insert, so what a chunk reads
    stays true until it commits (a second clock waits, then reads again)."""
    if dialect_name() == "sqlite":
        db.session.execute(_TAKE_WRITE_LOCK)


def is_contention(error):
    """True for errors another writer caused: SQLite's lock, PostgreSQL's deadlock."""
    text = str(error.orig if hasattr(error, "orig") else error).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def in_transaction(work, *args):
    """Run `work(*args)` and commit; retried from scratch when another writer got in the way.

    Returns what `work` returns. The work reads again on each try, so a retry never repeats
    what the other writer already did. SQLite lets one writer in at a time, so a second
    clock process waits here (up to CONTENTION_SECONDS) for its turn.
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
