"""Villages and the people of the programme: facilitators, households and their members."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm import relationship as link

from service.models.base import UTCDateTime, db, utcnow
from service.states import HouseholdStatus, PersonStatus, TimeOfDay


class Village(db.Model):
    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    district: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    language: Mapped[str] = mapped_column(String(8), default="id")
    lessons_per_week: Mapped[int | None]  # None: the track's default
    # The local services its lessons name; None: the village's regional pack, else the default.
    uptd_ppa: Mapped[str | None] = mapped_column(String(60))
    puskesmas: Mapped[str | None] = mapped_column(String(60))
    hotline: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitators: Mapped[list["Facilitator"]] = link(back_populates="village")
    households: Mapped[list["Household"]] = link(back_populates="village")


class Facilitator(db.Model):
    __tablename__ = "facilitators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    village: Mapped[Village] = link(back_populates="facilitators")


class Household(db.Model):
    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=HouseholdStatus.ACTIVE)
    registered_via: Mapped[str] = mapped_column(String(8), default="sms")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # personal data erased

    village: Mapped[Village] = link(back_populates="households")
    caregivers: Mapped[list["Caregiver"]] = link(
        back_populates="household", order_by="Caregiver.id"
    )
    children: Mapped[list["Child"]] = link(back_populates="household", order_by="Child.id")
    migrant_parents: Mapped[list["MigrantParent"]] = link(
        back_populates="household", order_by="MigrantParent.id"
    )


class Caregiver(db.Model):
    __tablename__ = "caregivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    relationship: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8), default="id")
    status: Mapped[str] = mapped_column(String(16), default=PersonStatus.ACTIVE)
    preferred_time: Mapped[str] = mapped_column(String(8), default=TimeOfDay.MORNING)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_via: Mapped[str | None] = mapped_column(String(8))  # a Channel: sms, ussd, cli...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household: Mapped[Household] = link(back_populates="caregivers")


class Child(db.Model):
    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    birth_year: Mapped[int | None]  # None only once the household's data was erased
    birth_month: Mapped[int | None]
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # adolescents 12-17
    # the caregiver's consent to the teen's own SMS track: when, and by which channel
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_via: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household: Mapped[Household] = link(back_populates="children")


class MigrantParent(db.Model):
    __tablename__ = "migrant_parents"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2
    language: Mapped[str] = mapped_column(String(8), default="id")
    status: Mapped[str] = mapped_column(String(16), default=PersonStatus.ACTIVE)
    preferred_time: Mapped[str] = mapped_column(String(8), default=TimeOfDay.EVENING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    household: Mapped[Household] = link(back_populates="migrant_parents")


class OptOut(db.Model):
    """A number that said STOP: nothing is sent to it until it says START."""

    __tablename__ = "opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_caregivers_status", Caregiver.status)
