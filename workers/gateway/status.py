"""The gateway's latest failure, kept in Redis for the dashboard: losing it loses nothing."""

import json
import logging
from datetime import datetime
from typing import Any

from service.models import utcnow
from service.redis_client import get_redis
from service.redis_keys import SMS_GATEWAY_LAST_ERROR

log = logging.getLogger("asuh.sms")


def note_error(gateway: str, message: str) -> None:
    """Remember the gateway's latest failure, with when it happened."""
    entry = {"gateway": gateway, "message": message[:300], "at": utcnow().isoformat()}
    try:
        get_redis().set(SMS_GATEWAY_LAST_ERROR, json.dumps(entry))
    except Exception:  # noqa: BLE001 - Redis down must not stop sending
        log.warning("could not record the gateway error: %s", message)


def last_error() -> dict[str, Any] | None:
    """The latest recorded gateway failure as {gateway, message, at}, or None."""
    try:
        raw = get_redis().get(SMS_GATEWAY_LAST_ERROR)
    except Exception:  # noqa: BLE001 - the dashboard shows none rather than failing
        return None
    if not raw:
        return None
    entry = json.loads(raw)
    return {**entry, "at": datetime.fromisoformat(entry["at"])}
