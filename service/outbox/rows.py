"""Outbox rows: built one way, inserted one or thousands at a time, never to a number that
said STOP.

`queue_sms` adds one row to the caller's transaction (replies, welcomes, alerts). A scheduler
tick writes thousands, so `insert_rows` inserts them in one statement with ON CONFLICT DO
NOTHING on the idempotency key (a second tick or a retried job writes nothing). Both apply
the same opt-out rule, and both rows are kicked to the sender when the transaction commits.
"""

from typing import Any

from sqlalchemy import ARRAY, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from service.models import OptOut, OutboxMessage, db, dialect_name
from service.outbox.hooks import note_new, segment_count
from service.states import MessageStatus

OUTBOX = OutboxMessage.__table__
LINKS = ("language", "village_id", "enrollment_id", "meeting_id", "lesson_id", "send_after")
OPT_OUT_CHUNK = 900  # numbers per IN (...) list: SQLite allows 999 parameters

Row = dict[str, Any]


def opted_out(phones) -> set[str]:
    """The numbers among `phones` that said STOP and have not said START since."""
    phones = sorted(set(phones))
    found: set[str] = set()
    for start in range(0, len(phones), OPT_OUT_CHUNK):
        chunk = phones[start : start + OPT_OUT_CHUNK]
        found.update(db.session.scalars(select(OptOut.phone).where(OptOut.phone.in_(chunk))))
    return found


def is_opted_out(phone: str) -> bool:
    """True when the number said STOP and has not said START since."""
    return bool(opted_out([phone]))


def outbox_row(key: str, to: str, body: str, kind: str, **links: Any) -> Row:
    """One pending row as a dict; `links` are other outbox columns (language, village_id, ...)."""
    return {
        "idempotency_key": key,
        "to_phone": to,
        "body": body,
        "kind": str(kind),
        "status": str(MessageStatus.PENDING),
        "segments": segment_count(body),
        **{name: links.pop(name, None) for name in LINKS},
        **links,
    }


def meeting_row(kind, key, meeting, person, body, send_after=None) -> Row:
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


def queue_sms(
    to: str, body: str, kind: str, key: str, *, respect_opt_out: bool = True, **links: Any
) -> OutboxMessage | None:
    """Add an outbox row unless the key exists or the number opted out; returns it or None.

    `links` are optional columns: language, village_id, enrollment_id, meeting_id, lesson_id,
    send_after. Nothing is committed here: the row joins the caller's transaction.
    """
    if respect_opt_out and is_opted_out(to):
        return None
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    if existing is not None:
        return None
    row = OutboxMessage(**outbox_row(key, to, body, kind, respect_opt_out=respect_opt_out, **links))
    db.session.add(row)
    return row


def insert_rows(rows: list[Row], respect_opt_out: bool = True) -> list[int]:
    """Insert rows whose key is new and whose number did not say STOP; returns their ids."""
    if respect_opt_out and rows:
        stopped = opted_out(row["to_phone"] for row in rows)
        rows = [row for row in rows if row["to_phone"] not in stopped]
    if not rows:
        return []
    rows = sorted(rows, key=lambda row: row["idempotency_key"])  # one lock order for all ticks
    ids = _insert_postgresql(rows) if dialect_name() == "postgresql" else _insert_sqlite(rows)
    note_new(ids)
    return ids


def _insert_sqlite(rows: list[Row]) -> list[int]:
    statement = (
        sqlite.insert(OUTBOX)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OUTBOX.c.id)
    )
    return list(db.session.execute(statement, rows).scalars())


def _insert_postgresql(rows: list[Row]) -> list[int]:
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


def _with_defaults(rows: list[Row]) -> list[Row]:
    """Rows completed with the columns' Python defaults, which INSERT ... SELECT does not apply."""
    defaults = {
        column.name: column.default.arg if column.default.is_scalar else column.default.arg(None)
        for column in OUTBOX.columns
        if column.default is not None and column.name not in rows[0]
    }
    return [{**defaults, **row} for row in rows]
