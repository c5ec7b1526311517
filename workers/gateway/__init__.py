"""The one seam to the SMS gateway: code reaches a gateway only through `get_gateway()`."""

from flask import current_app

from workers.gateway.base import Batch, Gateway, SendResult

__all__ = ["Batch", "Gateway", "SendResult", "get_gateway", "set_gateway"]

_override: Gateway | None = None


def set_gateway(gateway: Gateway | None) -> None:
    """Tests swap the gateway here; None restores the configured one."""
    global _override
    _override = gateway


def get_gateway() -> Gateway:
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
