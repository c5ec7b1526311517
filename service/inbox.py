"""The raw inbound store: an SMS is written exactly as the gateway posted it, before anything
else happens; and when the database is down, it is kept in Redis until the clock stores it.

The webhook answers 503 when it could not store the message (so the provider tries again),
and keeps a copy in Redis anyway: if the provider gives up, `workers.inbound.store_kept`
(every minute) writes it once the database is back. A message stored twice (the provider's
retry and the kept copy) is one row: its provider id is unique.
"""

import hashlib
import json

from flask import current_app
from redis import RedisError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from service.models import InboundMessage, db
from service.redis_client import get_redis
from service.redis_keys import INBOUND_KEPT

MAX_PROVIDER_ID = 80
MAX_PHONE = 32
MAX_DATE = 40
DATABASE_DOWN = (OperationalError, InterfaceError)  # what an unreachable database raises


def store_inbound(form):
    """The new row's id, or None when this provider id was already stored."""
    provider_id = provider_id_of(form)
    if db.session.scalar(
        select(InboundMessage.id).where(InboundMessage.provider_id == provider_id)
    ):
        return None
    text, truncated_from = capped_text(form.get("text", ""))
    row = InboundMessage(
        provider_id=provider_id,
        from_phone=form.get("from", "")[:MAX_PHONE],
        to=form.get("to", "")[:MAX_PHONE] or None,
        text=text,
        truncated_from=truncated_from,
        date=form.get("date", "")[:MAX_DATE] or None,
        raw={**form, "text": text},
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same id posted twice at the same moment
        db.session.rollback()
        return None
    return row.id


def capped_text(text):
    """(text, None), or the first INBOUND_MAX_TEXT characters and the length they were cut from:
    no phone sends more than ten parts, so anything longer is noise or abuse."""
    limit = current_app.config["INBOUND_MAX_TEXT"]
    if len(text) <= limit:
        return text, None
    return text[:limit], len(text)


def provider_id_of(form):
    """AT's id; a missing or oversized one is replaced by a digest, so repeats still match."""
    given = form.get("id", "").strip()
    if given and len(given) <= MAX_PROVIDER_ID:
        return given
    source = given or json.dumps(form, sort_keys=True)
    return "sha256:" + hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()


def keep(form):
    """Keep a message the database could not take; False when Redis is down too."""
    try:
        get_redis().rpush(INBOUND_KEPT, json.dumps(form, ensure_ascii=False))
    except RedisError:
        return False
    return True


def kept(limit):
    """The oldest kept messages (forms), still kept until `forget` is called."""
    return [json.loads(raw) for raw in get_redis().lrange(INBOUND_KEPT, 0, limit - 1)]


def forget(count):
    """Drop the `count` oldest kept messages: they are stored now."""
    get_redis().ltrim(INBOUND_KEPT, count, -1)
