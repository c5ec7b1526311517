"""What the app factory hands the outbox: the sender's kick and the SMS part counter.

The outbox is domain code: it may import neither the workers that send nor the `messages`
layer that counts GSM-7 parts, so both arrive through `init_app` (Flask's habit). New rows
are kicked right after the transaction that wrote them commits, never before.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from service.models import OutboxMessage, db

log = logging.getLogger("asuh.outbox")
EXTENSION = "asuh_outbox"
NEW_IDS = "asuh_new_outbox_ids"
HOOKED = "_asuh_outbox_hooked"  # listeners are added once per session class

Kick = Callable[[list[int]], None]  # queues the sending of committed rows
SegmentCounter = Callable[[str], int]  # SMS parts a body takes


@dataclass(frozen=True)
class Hooks:
    """The two things the outbox cannot know by itself."""

    kick: Kick
    segments: SegmentCounter


def init_app(app: Flask, *, kick: Kick, segments: SegmentCounter) -> None:
    """Keep the app's hooks and listen to sessions so new rows are kicked after commit."""
    app.extensions[EXTENSION] = Hooks(kick, lru_cache(maxsize=4096)(segments))
    session_class = db.session.session_factory.class_
    if getattr(session_class, HOOKED, False):
        return
    setattr(session_class, HOOKED, True)
    event.listen(session_class, "after_flush", _collect_new_ids)
    event.listen(session_class, "after_commit", _kick_new_ids)
    event.listen(session_class, "after_rollback", _forget_ids)


def segment_count(body: str) -> int:
    """SMS parts the body takes (GSM-7 or UCS-2), as the app's counter says."""
    return _hooks().segments(body)


def kick(ids: Iterable[int]) -> None:
    """Queue sending of committed rows; if Redis is away, the send sweep finds them later."""
    ids = list(ids)
    if not ids:
        return
    try:
        _hooks().kick(ids)
    except Exception:  # noqa: BLE001 - the sweep is the safety net
        log.warning("could not enqueue send of %d outbox rows; the sweep will", len(ids))


def note_new(ids: Iterable[int]) -> None:
    """Rows written with a bulk INSERT (which the session does not see) are kicked at commit."""
    db.session.info.setdefault(NEW_IDS, []).extend(ids)


def _hooks() -> Hooks:
    return current_app.extensions[EXTENSION]


def _collect_new_ids(session: Session, flush_context: object) -> None:
    new_ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new_ids:
        session.info.setdefault(NEW_IDS, []).extend(new_ids)


def _forget_ids(session: Session) -> None:
    session.info.pop(NEW_IDS, None)


def _kick_new_ids(session: Session) -> None:
    ids = session.info.pop(NEW_IDS, None)
    if ids:
        kick(ids)
