"""Who may use the dashboard, and the audit trail of every change."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from service.config import DEFAULT_DASHBOARD_LANGUAGE
from service.models.base import UTCDateTime, db, utcnow
from service.states import AdminRole


class AdminUser(UserMixin, db.Model):
    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=AdminRole.VIEWER)
    # The dashboard's language for this officer (a registry code offering "dashboard").
    language: Mapped[str] = mapped_column(
        String(8), default=DEFAULT_DASHBOARD_LANGUAGE, server_default=DEFAULT_DASHBOARD_LANGUAGE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session cookie; raising it (sign-out, new password) voids cookies issued before.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self):
        """What the session cookie stores: the account and its session version."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self):
        """Void every session cookie issued to this account so far (the caller commits)."""
        self.session_version = (self.session_version or 0) + 1


class LoginFailure(db.Model):
    """A failed sign-in, counted here only while Redis (the throttle's usual store) is down."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))  # "user" or "addr"
    subject: Mapped[str] = mapped_column(String(120))  # the lower-cased username, or the address
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # "sms:+62812...", "admin:ana", "cli"
    action: Mapped[str] = mapped_column(String(40))  # "household.register", ...
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
