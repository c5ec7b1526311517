"""End to end: AT's inbound form -> real RQ worker -> the real SDK -> a local fake AT server."""

from datetime import timedelta

from sqlalchemy import select

from service.models import Household, OutboxMessage, db, utcnow
from tests.fixtures.sms import inbound_row, outbox_to, post_delivery
from workers.send import send_messages, sweep_pending

FAC = "+6281100000001"
CAREGIVER = "+6281234567890"


def received(fake_at, phone):
    return [body for to, body, _id in fake_at.messages if to == phone]


def test_registration_by_sms_reaches_facilitator_and_caregiver(factory, fake_at, sms, client):
    factory.facilitator(factory.village("Kanigoro"), phone=FAC)
    [reply] = sms(FAC, "daftar mbah sumini 081234567890 nenek 2016 2019-03")
    code = db.session.scalar(select(Household.code))
    assert received(fake_at, FAC) == [reply] and code in reply
    [welcome] = received(fake_at, CAREGIVER)
    assert "Selamat datang di Asuh, Mbah Sumini" in welcome
    assert fake_at.requests[0]["username"] == "asuh-test"
    [row] = outbox_to(FAC)
    assert row.status == "sent" and row.provider_id.startswith("ATXid_")
    post_delivery(client, row.provider_id, "Success", FAC)
    assert outbox_to(FAC)[0].status == "delivered"


def test_a_rejected_recipient_fails_alone_and_the_reply_still_goes(factory, fake_at, sms):
    factory.facilitator(factory.village(), phone=FAC)
    fake_at.reject(CAREGIVER, 406)
    sms(FAC, "REG Sumini 0812-3456-7890 grandmother 03/2019")
    [welcome] = outbox_to(CAREGIVER)
    assert (welcome.status, welcome.failure_reason) == ("failed", "UserInBlacklist")
    assert outbox_to(FAC)[0].status == "sent"
    assert received(fake_at, CAREGIVER) == []


def test_a_gateway_outage_is_retried_and_each_reply_sent_once(factory, fake_at, sms):
    factory.facilitator(factory.village(), phone=FAC)
    fake_at.fail_next(2)
    sms(FAC, "BANTUAN")
    [row] = outbox_to(FAC)
    assert row.status == "pending" and row.failure_reason.startswith("retrying")
    later = utcnow()
    for _ in range(3):
        later += timedelta(hours=1)
        if sweep_pending(now=later):
            send_messages([row.id], now=later)
    assert outbox_to(FAC)[0].status == "sent"
    assert len(received(fake_at, FAC)) == 1


def test_stop_confirmation_reaches_the_phone_and_nothing_after_it(factory, fake_at, sms):
    household = factory.household(phone=CAREGIVER)
    [confirmation] = sms(CAREGIVER, "STOP")
    assert received(fake_at, CAREGIVER) == [confirmation]
    facilitator = factory.facilitator(household.village)
    sms(facilitator.phone, f"GANTI {household.code} 081255566677")  # the new number is welcomed
    assert sms(CAREGIVER, "INFO") == []
    assert received(fake_at, CAREGIVER) == [confirmation]


def test_a_safeguarding_report_reaches_the_facilitator(factory, fake_at, sms):
    village = factory.village()
    facilitator = factory.facilitator(village, phone=FAC)
    factory.household(village, phone=CAREGIVER)
    [reply] = sms(CAREGIVER, "cucu saya dipukul")
    assert received(fake_at, CAREGIVER) == [reply] and "SAPA 129" in reply
    [alert] = received(fake_at, facilitator.phone)
    assert "dipukul" in alert and CAREGIVER in alert


def test_every_message_stays_stored_with_its_outcome(factory, fake_at, sms):
    factory.facilitator(factory.village(), phone=FAC)
    sms(FAC, "HADIR", provider_id="ATXid_in_1")
    row = inbound_row("ATXid_in_1")
    assert row.state == "processed" and row.raw["text"] == "HADIR"
    assert db.session.scalar(select(OutboxMessage.kind)) == "reply"
