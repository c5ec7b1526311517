"""STOP/BERHENTI and MULAI/START, from anyone: at once, one confirmation, and a way back."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.models import Enrollment, Facilitator, OptOut, db
from service.outbox import queue_sms
from tests.fixtures.sms import outbox_to

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
PHONE = "+6281300000001"


@pytest.fixture
def caregiver(factory):
    village = factory.village(language="id")
    household = factory.household(village, phone=PHONE)
    return household.caregivers[0]


def enrollment(caregiver):
    db.session.expire_all()
    return db.session.scalar(select(Enrollment).filter_by(caregiver_id=caregiver.id))


@pytest.mark.parametrize("word", ["STOP", "stop", "BERHENTI", "Berhenti"])
def test_stop_opts_out_cancels_what_is_queued_and_confirms_once(caregiver, handle, word):
    lesson = queue_sms(PHONE, "Pelajaran 3", "lesson", "lesson:3")
    reminder = queue_sms(PHONE, "Besok pertemuan", "reminder", "reminder:1")
    db.session.commit()
    reply = handle(PHONE, word, now=NOW)
    db.session.expire_all()
    assert "MULAI" in reply
    assert db.session.scalar(select(OptOut.phone)) == PHONE
    assert (lesson.status, reminder.status) == ("cancelled", "cancelled")
    assert caregiver.status == "stopped" and enrollment(caregiver).state == "stopped"
    [confirmation] = [row for row in outbox_to(PHONE) if row.kind == "reply"]
    assert confirmation.status == "pending"  # sent despite the opt-out it confirms


def test_a_second_stop_gets_no_second_confirmation(caregiver, handle):
    assert handle(PHONE, "STOP", now=NOW) is not None
    assert handle(PHONE, "STOP", now=NOW) is None
    assert handle(PHONE, "BERHENTI", now=NOW) is None
    assert len(outbox_to(PHONE, kind="reply")) == 1


def test_nothing_new_reaches_a_number_that_said_stop(caregiver, handle):
    handle(PHONE, "STOP", now=NOW)
    assert queue_sms(PHONE, "Pelajaran 4", "lesson", "lesson:4") is None
    assert handle(PHONE, "INFO 123459", now=NOW) is None  # not even a refusal


def test_mulai_resumes_the_person_and_their_track(caregiver, handle):
    handle(PHONE, "STOP", now=NOW)
    reply = handle(PHONE, "MULAI", now=NOW)
    db.session.expire_all()
    assert "selamat datang kembali" in reply
    assert db.session.query(OptOut).count() == 0
    assert caregiver.status == "active" and enrollment(caregiver).state == "active"
    assert queue_sms(PHONE, "Pelajaran 4", "lesson", "lesson:4") is not None


def test_start_when_not_stopped_says_so(caregiver, handle):
    assert "sudah aktif" in handle(PHONE, "START", now=NOW)


def test_a_stranger_can_stop_and_restart_in_the_language_of_the_keyword(app, handle):
    stranger = "+6281999999999"
    assert "no more SMS" in handle(stranger, "STOP", now=NOW)
    assert db.session.scalar(select(OptOut.phone)) == stranger
    assert "welcome back" in handle(stranger, "START", now=NOW)
    assert "tidak akan menerima SMS" in handle(stranger, "BERHENTI", now=NOW)


def test_mulai_does_not_bring_back_a_removed_household(caregiver, factory, handle):
    facilitator = factory.facilitator(caregiver.household.village)
    handle(PHONE, "STOP", now=NOW)
    handle(facilitator.phone, f"HAPUS {caregiver.household.code}", now=NOW)
    handle(PHONE, "MULAI", now=NOW)
    db.session.expire_all()
    assert caregiver.status == "inactive" and enrollment(caregiver).state == "stopped"


def test_a_facilitator_can_stop_their_own_track(app, factory, handle):
    from service.enrollments import enroll

    facilitator = factory.facilitator()
    enroll("facilitator", facilitator.id)
    db.session.commit()
    handle(facilitator.phone, "STOP", now=NOW)
    row = db.session.scalar(select(Enrollment).filter_by(facilitator_id=facilitator.id))
    assert row.state == "stopped"
    handle(facilitator.phone, "START", now=NOW)
    db.session.expire_all()
    assert row.state == "active" and db.session.get(Facilitator, facilitator.id).active


def test_stop_and_start_are_audited(caregiver, handle):
    from service.models import AuditLog

    handle(PHONE, "STOP", now=NOW)
    handle(PHONE, "START", now=NOW)
    actions = [row.action for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["optout.stop", "optout.start"]
