"""The one seam to the SMS gateway: code reaches a gateway only through `get_gateway()`."""

from dataclasses import dataclass, field

from flask import current_app


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
    """One body to many recipients: the unit a gateway sends in one request."""

    body: str
    phones: list[str] = field(default_factory=list)


_override = None


def set_gateway(gateway):
    """Tests swap the gateway here; None restores the configured one."""
    global _override
    _override = gateway


def get_gateway():
    """The configured adapter: `console` (default) or `africastalking`."""
    if _override is not None:
        return _override
    name = current_app.config["SMS_GATEWAY"]
    if name == "console":
        from workers.gateway.console import ConsoleGateway

        return ConsoleGateway()
    if name == "africastalking":
        from workers.gateway.africastalking import AfricasTalkingGateway

        return AfricasTalkingGateway.from_config(current_app.config)
    raise ValueError(f"unknown SMS_GATEWAY {name!r}: use console or africastalking")
