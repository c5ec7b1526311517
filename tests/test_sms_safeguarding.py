"""A message that may report harm to a child is never dropped: hotline, facilitator, audit."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.models import AuditLog, Household, db
from tests.fixtures.sms import outbox_to

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
CAREGIVER = "+6281300000001"


@pytest.fixture
def village(factory):
    village = factory.village("Kanigoro", language="id")
    factory.household(village, phone=CAREGIVER, name="Mbah Sumini")
    return village


def alerts():
    return [
        row for row in db.session.scalars(select(AuditLog).filter_by(action="safeguarding.alert"))
    ]


def test_a_caregiver_report_gets_the_hotline_and_alerts_every_village_facilitator(
    village, factory, handle
):
    first = factory.facilitator(village, phone="+6281100000001")
    second = factory.facilitator(village, phone="+6281100000002", language="en")
    elsewhere = factory.facilitator(phone="+6281100000009")
    reply = handle(CAREGIVER, "tolong cucu saya dipukul tetangga", now=NOW)
    assert "SAPA 129" in reply and "08111-129-129" in reply and "Fasilitator desa" in reply
    [to_first] = outbox_to(first.phone, kind="alert")
    [to_second] = outbox_to(second.phone, kind="alert")
    assert "Mbah Sumini" in to_first.body and CAREGIVER in to_first.body
    assert "dipukul" in to_first.body and "URGENT" in to_second.body
    assert outbox_to(elsewhere.phone) == []
    [row] = alerts()
    assert row.detail["words"] == ["dipukul"] and row.detail["village_id"] == village.id


def test_an_unknown_sender_gets_the_hotline_and_the_officer_sees_it_in_the_audit_log(app, handle):
    reply = handle("+6281999999999", "ada KEKERASAN di rumah sebelah", now=NOW)
    assert "SAPA 129" in reply and "Petugas" in reply
    assert "tidak kami mengerti" not in reply  # no "unknown command" noise on a report
    [row] = alerts()
    assert row.detail["village_id"] is None and row.detail["facilitators_alerted"] == []


def test_english_words_and_an_english_reply_for_an_english_speaker(app, factory, handle):
    village = factory.village(language="en")
    factory.household(village, phone=CAREGIVER)
    reply = handle(CAREGIVER, "my child was abused", now=NOW)
    assert "thank you for telling us" in reply and "An Asuh officer will read" in reply
    assert "SAPA 129" in handle(CAREGIVER, "the boy was beaten", now=NOW)


def test_a_valid_command_is_still_carried_out_and_answered_after_the_hotline(
    village, factory, handle
):
    facilitator = factory.facilitator(village, phone="+6281100000001")
    reply = handle(facilitator.phone, "DAFTAR Sumini 081234567890 nenek 2016 anak dipukul", now=NOW)
    assert reply.index("SAPA 129") < reply.index("terdaftar")
    assert db.session.query(Household).count() == 2
    assert len(alerts()) == 1
    assert outbox_to(facilitator.phone, kind="alert") == []  # not alerted about their own SMS


def test_the_word_list_is_configurable(app, village, handle):
    app.config["SAFEGUARDING_WORDS"] = "bahaya, lari dari rumah"
    assert "SAPA 129" in handle(CAREGIVER, "anak saya lari dari rumah", now=NOW)
    assert "SAPA 129" not in handle(CAREGIVER, "anak saya dipukul", now=NOW)


def test_meeting_times_written_with_pukul_are_not_reports(village, factory, handle):
    facilitator = factory.facilitator(village, phone="+6281100000001")
    reply = handle(facilitator.phone, "PERTEMUAN 5/12 pukul 15.00 balai desa", now=NOW)
    assert "SAPA" not in reply and alerts() == []


def test_a_report_from_a_number_that_said_stop_still_gets_the_hotline(village, handle):
    handle(CAREGIVER, "STOP", now=NOW)
    assert "SAPA 129" in handle(CAREGIVER, "cucu saya disiksa", now=NOW)
