"""The one seam to the SMS gateway: code reaches a gateway only through `get_gateway()`.

A provider is one module under workers/gateway/ owning its whole protocol, and one line in
GATEWAYS. Its module holds the gateway class (`from_config`, `send`) and, when the provider
calls back, `inbound_fields(call)` (an SMS from a phone, as the form every inbound SMS is
stored as) and `parse_report(call)` (a DeliveryReport); the web edge serves those at
/sms/<name>/inbound and /sms/<name>/delivery.
"""

import importlib
from types import ModuleType

from flask import current_app

from workers.gateway.base import (
    Batch,
    DeliveryReport,
    Gateway,
    HttpCall,
    InboundRefused,
    SendResult,
)
from workers.gateway.status import last_error, note_error

__all__ = [
    "GATEWAYS",
    "Batch",
    "DeliveryReport",
    "Gateway",
    "HttpCall",
    "InboundRefused",
    "SendResult",
    "gateway_class",
    "get_gateway",
    "last_error",
    "note_error",
    "provider_module",
    "set_gateway",
]

# SMS_GATEWAY name -> "module:class"
GATEWAYS = {
    "console": "workers.gateway.console:ConsoleGateway",
    "africastalking": "workers.gateway.africastalking:AfricasTalkingGateway",
    "kannel": "workers.gateway.kannel:KannelGateway",
}

_override: Gateway | None = None


def set_gateway(gateway: Gateway | None) -> None:
    """Tests swap the gateway here; None restores the configured one."""
    global _override
    _override = gateway


def get_gateway() -> Gateway:
    """The adapter named by SMS_GATEWAY, built from the app's settings."""
    if _override is not None:
        return _override
    return gateway_class(current_app.config["SMS_GATEWAY"]).from_config(current_app.config)


def gateway_class(name: str) -> type[Gateway]:
    """The class registered for a gateway name; a clear error for a name nobody registered."""
    module = provider_module(name)
    if module is None:
        raise ValueError(f"unknown SMS_GATEWAY {name!r}: use one of {', '.join(GATEWAYS)}")
    gateway: type[Gateway] = getattr(module, GATEWAYS[name].partition(":")[2])
    return gateway


def provider_module(name: str) -> ModuleType | None:
    """The module that owns a provider's protocol, or None for a name nobody registered."""
    if name not in GATEWAYS:
        return None
    return importlib.import_module(GATEWAYS[name].partition(":")[0])
