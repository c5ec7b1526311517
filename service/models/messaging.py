"""SMS in and out: the outbox every send goes through and the raw inbound store."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.models.base import UTCDateTime, db, utcnow
from service.states import InboundState, MessageStatus


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    to_phone: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.PENDING)
    language: Mapped[str | None] = mapped_column(String(8))
    provider_id: Mapped[str | None] = mapped_column(String(80), index=True)
    segments: Mapped[int] = mapped_column(default=1)
    cost: Mapped[str | None] = mapped_column(String(32))  # as the gateway wrote it: "IDR 250.00"
    cost_amount: Mapped[float | None]  # numeric part, for sums
    attempts: Mapped[int] = mapped_column(default=0)
    failure_reason: Mapped[str | None] = mapped_column(String(120))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    lesson_id: Mapped[str | None] = mapped_column(String(32))
    send_after: Mapped[datetime | None] = mapped_column(UTCDateTime)  # retry or quiet hours
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sender holds it
    absent_retries: Mapped[int] = mapped_column(default=0)  # re-sends after an absent phone
    # False only for the few SMS that must reach a number that opted out (STOP's confirmation)
    respect_opt_out: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_outbox_status_created", "status", "created_at"),)


class InboundMessage(db.Model):
    """An SMS exactly as the gateway posted it, stored before anything else happens."""

    __tablename__ = "inbound"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(80), unique=True)
    from_phone: Mapped[str] = mapped_column(String(32), index=True)  # as received
    to: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    truncated_from: Mapped[int | None]  # the text's length before it was cut; None when whole
    date: Mapped[str | None] = mapped_column(String(40))  # the gateway's own timestamp text
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=InboundState.RECEIVED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
