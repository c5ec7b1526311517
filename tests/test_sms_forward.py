"""A caregiver's free text that starts with a facilitator keyword goes to the facilitator."""

import pytest
from sqlalchemy import func, select

from service.models import Child, OutboxMessage, db
from tests.fixtures.sms import outbox_to

FAC = "+6281100000001"
CAREGIVER = "+6281377700021"


@pytest.fixture
def village(factory):
    village = factory.village("Kanigoro", language="id")
    factory.facilitator(village, phone=FAC, name="Bu Siti")
    return village


@pytest.fixture
def household(factory, village):
    return factory.household(village, phone=CAREGIVER, name="Mbah Sumini")


def children():
    db.session.expire_all()
    return db.session.scalar(select(func.count(Child.id)))


def test_anak_saya_sakit_demam_is_forwarded_to_the_facilitator(sms, household):
    replies = sms(CAREGIVER, "anak saya sakit demam")
    assert len(replies) == 1 and "teruskan ke fasilitator desa" in replies[0]
    assert "hanya untuk fasilitator" not in replies[0]
    [forwarded] = outbox_to(FAC, kind="alert")
    assert "anak saya sakit demam" in forwarded.body
    assert "Mbah Sumini" in forwarded.body and household.code in forwarded.body
    assert CAREGIVER in forwarded.body
    assert children() == 1  # no child was added


def test_a_report_of_harm_gets_the_hotline_and_one_alert_and_one_answer(sms, household):
    replies = sms(CAREGIVER, "anak saya dipukul tetangga tolong")
    assert len(replies) == 1
    assert "SAPA 129" in replies[0] and "hanya untuk fasilitator" not in replies[0]
    alerts = outbox_to(FAC, kind="alert")
    assert len(alerts) == 1 and "dipukul" in alerts[0].body


def test_a_stranger_is_still_told_the_keyword_is_for_facilitators(sms, village):
    replies = sms("+6281377700099", "anak saya sakit demam")
    assert len(replies) == 1 and "hanya untuk fasilitator" in replies[0]
    assert outbox_to(FAC) == []


def test_a_facilitator_keyword_from_a_facilitator_is_still_a_command(sms, household):
    replies = sms(FAC, f"anak {household.code} 2020")
    assert len(replies) == 1 and household.code in replies[0]
    assert children() == 2


def test_without_a_facilitator_the_message_waits_for_the_officers(sms, factory):
    lonely = factory.village("Sepi")
    factory.household(lonely, phone=CAREGIVER)
    replies = sms(CAREGIVER, "daftar tolong anak saya")
    assert len(replies) == 1 and "petugas Asuh" in replies[0]
    assert (
        db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "alert"))
        == 0
    )
