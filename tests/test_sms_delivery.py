"""Delivery reports move an outbox row forward by what the network said, never backwards."""

import pytest
from sqlalchemy import select

from service.models import Enrollment, OutboxMessage, db, utcnow
from service.outbox import queue_sms
from tests.fixtures.sms import post_delivery

PHONE = "+6281300000001"


@pytest.fixture
def sent(app):
    """A row the gateway accepted with a provider id, as workers/send.py leaves it."""
    row = queue_sms(PHONE, "Pelajaran 1", "lesson", "lesson:1")
    row.status, row.provider_id, row.sent_at = "sent", "ATXid_1", utcnow()
    db.session.commit()
    return row


def reload(row):
    db.session.expire_all()
    return db.session.get(OutboxMessage, row.id)


@pytest.mark.parametrize(
    "reports, status, reason",
    [
        ([("Success", None)], "delivered", None),
        ([("Sent", None)], "sent", None),
        ([("Submitted", None)], "sent", None),
        ([("Buffered", None)], "sent", None),
        ([("Rejected", "InvalidPhoneNumber")], "failed", "InvalidPhoneNumber"),
        ([("Failed", "DeliveryFailure")], "failed", "DeliveryFailure"),
        ([("Expired", None)], "failed", "Expired"),
        ([("Success", None), ("Sent", None)], "delivered", None),  # a late "Sent"
        ([("Success", None), ("Failed", "DeliveryFailure")], "delivered", None),
        (
            [("Failed", "DeliveryFailure"), ("Failed", "DeliveryFailure")],
            "failed",
            "DeliveryFailure",
        ),
        ([("Success", None), ("Success", None)], "delivered", None),
        ([("Weird", None)], "sent", None),
    ],
)
def test_reports_apply_in_order_and_never_downgrade(client, sent, reports, status, reason):
    for report_status, failure in reports:
        assert post_delivery(client, "ATXid_1", report_status, PHONE, failure).status_code == 200
    row = reload(sent)
    assert (row.status, row.failure_reason) == (status, reason)
    assert (row.delivered_at is not None) == (status == "delivered")


@pytest.mark.parametrize(
    "status, reason", [("Failed", "AbsentSubscriber"), ("AbsentSubscriber", None)]
)
def test_an_absent_subscriber_is_retried_once_later(client, sent, status, reason):
    post_delivery(client, "ATXid_1", status, PHONE, reason)
    row = reload(sent)
    assert row.status == "pending" and row.send_after is not None and row.provider_id is None
    post_delivery(client, "ATXid_1", status, PHONE, reason)  # the repeat finds nothing to change
    assert reload(sent).status == "pending"


def test_unknown_ids_and_empty_reports_are_answered_200_and_change_nothing(client, sent):
    assert post_delivery(client, "ATXid_unknown", "Failed", PHONE, "X").status_code == 200
    assert post_delivery(client, "", "Success").status_code == 200
    assert reload(sent).status == "sent"


def test_failed_reports_count_towards_the_pause_of_the_enrollment(client, factory):
    household = factory.household(phone=PHONE)
    enrollment = db.session.scalar(select(Enrollment))
    for n in range(5):
        row = queue_sms(
            PHONE,
            f"L{n}",
            "lesson",
            f"l:{n}",
            enrollment_id=enrollment.id,
            village_id=household.village_id,
        )
        row.status, row.provider_id = "sent", f"ATXid_{n}"
        db.session.commit()
        post_delivery(client, f"ATXid_{n}", "Failed", PHONE, "DeliveryFailure")
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).state == "paused"


def test_success_ends_the_failure_streak(client, factory):
    factory.household(phone=PHONE)
    enrollment = db.session.scalar(select(Enrollment))
    enrollment.consecutive_failures = 3
    row = queue_sms(PHONE, "L", "lesson", "l:1", enrollment_id=enrollment.id)
    row.status, row.provider_id = "sent", "ATXid_9"
    db.session.commit()
    post_delivery(client, "ATXid_9", "Success", PHONE)
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).consecutive_failures == 0
