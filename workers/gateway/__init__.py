"""The one seam to the SMS gateway: code reaches a gateway only through `get_gateway()`."""

import importlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from service.models import utcnow
from service.redis_client import get_redis
from service.redis_keys import SMS_GATEWAY_LAST_ERROR
from service.states import MessageStatus

log = logging.getLogger("asuh.sms")

# SMS_GATEWAY name -> "module:class"; a provider is one module and one line here.
GATEWAYS = {
    "console": "workers.gateway.console:ConsoleGateway",
    "africastalking": "workers.gateway.africastalking:AfricasTalkingGateway",
    "kannel": "workers.gateway.kannel:KannelGateway",
}


@dataclass
class SendResult:
    """What the gateway said about one recipient of one request."""

    phone: str
    ok: bool
    provider_id: str | None = None
    status: str = ""
    cost: str | None = None
    parts: int | None = None
    retryable: bool = False
    reason: str | None = None


@dataclass
class Batch:
    """One body to many recipients: the unit a gateway sends in one request.

    `refs` maps a phone to the outbox row it stands for, for gateways that ask the network to
    report on each message separately (Kannel's per-message delivery-report URL).
    """

    body: str
    phones: list[str] = field(default_factory=list)
    refs: dict[str, int] = field(default_factory=dict)


@dataclass
class HttpCall:
    """A provider's callback as plain data, so provider modules never touch the web framework."""

    method: str
    args: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    charset: str | None = None

    @property
    def values(self):
        """Query and form fields together (a provider may use either method)."""
        return {**self.args, **self.form}


class InboundRefused(ValueError):
    """A callback that cannot be an SMS from a phone; the edge answers 400 with the reason."""


@dataclass
class DeliveryReport:
    """A provider's delivery report in the core's words: which row, and what it now is.

    A row is named by the provider's message id or by our own outbox id; `status` is None when
    the report says nothing the core acts on (it is then only logged).
    """

    status: MessageStatus | None
    provider_id: str | None = None
    outbox_id: int | None = None
    reason: str | None = None


_override = None


def set_gateway(gateway):
    """Tests swap the gateway here; None restores the configured one."""
    global _override
    _override = gateway


def get_gateway():
    """The adapter named by SMS_GATEWAY, built from the app's settings."""
    if _override is not None:
        return _override
    return gateway_class(current_app.config["SMS_GATEWAY"]).from_config(current_app.config)


def gateway_class(name):
    """The class registered for a gateway name; a clear error for a name nobody registered."""
    if name not in GATEWAYS:
        raise ValueError(f"unknown SMS_GATEWAY {name!r}: use one of {', '.join(GATEWAYS)}")
    return getattr(provider_module(name), GATEWAYS[name].partition(":")[2])


def provider_module(name):
    """The module that owns a provider's protocol, or None for a name nobody registered.

    Besides its gateway class it may offer `inbound_fields(call)` (an SMS from a phone, as the
    form every inbound SMS is stored as) and `parse_report(call)` (a DeliveryReport); the web
    edge serves them at /sms/<name>/inbound and /sms/<name>/delivery.
    """
    if name not in GATEWAYS:
        return None
    return importlib.import_module(GATEWAYS[name].partition(":")[0])


def note_error(gateway, message):
    """Remember the gateway's latest failure for the dashboard; losing it loses nothing."""
    entry = {"gateway": gateway, "message": message[:300], "at": utcnow().isoformat()}
    try:
        get_redis().set(SMS_GATEWAY_LAST_ERROR, json.dumps(entry))
    except Exception:  # noqa: BLE001 - Redis down must not stop sending
        log.warning("could not record the gateway error: %s", message)


def last_error():
    """The latest recorded gateway failure as {gateway, message, at}, or None."""
    try:
        raw = get_redis().get(SMS_GATEWAY_LAST_ERROR)
    except Exception:  # noqa: BLE001 - the dashboard shows "unknown" rather than failing
        return None
    if not raw:
        return None
    entry = json.loads(raw)
    return {**entry, "at": datetime.fromisoformat(entry["at"])}
