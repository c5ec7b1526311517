"""What every gateway adapter speaks: one body to many phones in, one result per phone out."""

from dataclasses import dataclass, field
from typing import Protocol


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


class Gateway(Protocol):
    """An SMS provider's adapter; its wire format stays inside its own module."""

    name: str

    def send(self, batch: Batch) -> list[SendResult]:
        """Send one body to the batch's phones; a result for every phone, whatever happened."""
        ...
