"""What every gateway adapter speaks: one body to many phones in, one result per phone out;
its callbacks in as plain data, delivery reports out in the core's words (MessageStatus)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from service.states import MessageStatus


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
    phone_fault: bool = True  # False when the failure is ours (a refused login, a bad sender)


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
    def values(self) -> dict[str, str]:
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
    phone_absent: bool = False  # failed because the phone was off or out of reach: try later


class Gateway(Protocol):
    """An SMS provider's adapter; its wire format stays inside its own module."""

    name: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Gateway":
        """Build from the app's settings."""
        ...

    def send(self, batch: Batch) -> list[SendResult]:
        """Send one body to the batch's phones; a result for every phone, whatever happened."""
        ...
