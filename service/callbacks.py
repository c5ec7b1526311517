"""Call-back requests: a caregiver asks on the menu, the village facilitator phones back."""

from datetime import datetime

from sqlalchemy import select

from service import audit
from service.facilitators import AlertText, alert_facilitator
from service.models import CallbackRequest, Caregiver, db
from service.states import CallbackStatus


def request_callback(caregiver_id: int, *, actor: str, now: datetime, alert: AlertText) -> bool:
    """Open a request and alert the facilitator; False when one is already open.

    `alert` renders the facilitator's SMS (name, phone, code). Nothing is committed here.
    """
    open_id = db.session.scalar(
        select(CallbackRequest.id).where(
            CallbackRequest.caregiver_id == caregiver_id,
            CallbackRequest.status == CallbackStatus.OPEN,
        )
    )
    if open_id is not None:
        return False
    caregiver = db.session.get_one(Caregiver, caregiver_id)
    household = caregiver.household
    row = CallbackRequest(
        caregiver_id=caregiver_id, village_id=household.village_id, created_at=now
    )
    db.session.add(row)
    db.session.flush()
    alert_facilitator(
        household.village_id,
        f"ussd:callback:{row.id}",
        alert,
        name=caregiver.name,
        phone=caregiver.phone,
        code=household.code,
    )
    audit.record(actor, "callback.request", "callback_request", row.id, household=household.code)
    return True


def open_callbacks(village_id: int):
    """(id, caregiver name, asked at) of the village's open requests, oldest first."""
    return db.session.execute(
        select(CallbackRequest.id, Caregiver.name, CallbackRequest.created_at)
        .join(Caregiver, Caregiver.id == CallbackRequest.caregiver_id)
        .where(
            CallbackRequest.village_id == village_id,
            CallbackRequest.status == CallbackStatus.OPEN,
        )
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    ).all()


def callback(callback_id: int, village_id: int):
    """(name, phone, asked at, status) of one of the village's requests, or None."""
    return db.session.execute(
        select(Caregiver.name, Caregiver.phone, CallbackRequest.created_at, CallbackRequest.status)
        .join(Caregiver, Caregiver.id == CallbackRequest.caregiver_id)
        .where(CallbackRequest.id == callback_id, CallbackRequest.village_id == village_id)
    ).first()


def close_callback(callback_id: int, village_id: int, *, actor: str, now: datetime) -> bool:
    """Mark a request done; False when it is not the village's or already done."""
    row = db.session.get(CallbackRequest, callback_id)
    if row is None or row.village_id != village_id or row.status != CallbackStatus.OPEN:
        return False
    row.status = CallbackStatus.DONE
    row.resolved_at = now
    audit.record(actor, "callback.done", "callback_request", callback_id)
    return True
