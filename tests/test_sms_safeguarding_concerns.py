"""A child about to be married off, or thoughts of suicide: the sender gets a reply that fits
(in their language), the village facilitator an alert that says what it is about."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.models import AuditLog, db
from tests.fixtures.sms import outbox_to

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
CAREGIVER = "+6281300000001"
FACILITATOR = "+6281100000001"


@pytest.fixture
def village(factory):
    village = factory.village("Kanigoro", language="id")
    factory.household(village, phone=CAREGIVER, name="Mbah Sumini")
    return village


def sender(factory, village, language):
    """Mbah Sumini for Indonesian; an English-speaking caregiver of the same village."""
    if language == "id":
        return CAREGIVER
    factory.household(village, phone="+6281300000002", language=language)
    return "+6281300000002"


def alert_rows():
    return db.session.scalars(select(AuditLog).filter_by(action="safeguarding.alert")).all()


@pytest.mark.parametrize(
    ("language", "text", "reply", "alert"),
    [
        (
            "id",
            "cucu saya umur 15 mau dinikahkan bulan depan",
            "Menikahkan anak di bawah 19 tahun dilarang hukum dan merugikan anak. Hubungi "
            "SAPA 129 (WhatsApp 08111-129-129). Fasilitator desa sudah kami kabari.",
            'menyebut pernikahan anak ("dinikahkan, cucu, umur")',
        ),
        (
            "en",
            "my granddaughter is 15 and they want her married",
            "Marrying off a child under 19 is against the law and harms the child. Contact "
            "SAPA 129 (WhatsApp 08111-129-129). We have told your village facilitator.",
            'mentions a child\'s marriage ("married, granddaughter")',
        ),
    ],
)
def test_a_child_s_marriage_gets_the_law_the_hotline_and_a_facilitator_visit(
    village, factory, handle, language, text, reply, alert
):
    factory.facilitator(village, phone=FACILITATOR, language=language)
    answer = handle(sender(factory, village, language), text, now=NOW)
    assert answer.startswith("Asuh: ") and reply in answer
    [to_facilitator] = outbox_to(FACILITATOR, kind="alert")
    assert alert in to_facilitator.body
    [row] = alert_rows()
    assert row.detail["concerns"] == ["marriage"]


@pytest.mark.parametrize(
    ("language", "text", "reply", "alert"),
    [
        (
            "id",
            "saya sudah tidak kuat, ingin mati saja",
            "Anda tidak sendiri. Hubungi layanan kesehatan jiwa Kemenkes 119 ext 8, atau datang "
            "ke puskesmas. Bila ada bahaya segera, hubungi 112.",
            'menyebut bunuh diri ("ingin mati")',
        ),
        (
            "en",
            "I want to die, I cannot go on",
            "You are not alone. Call the health ministry's mental health line, 119 ext 8, or go "
            "to the puskesmas. If someone is in danger now, call 112.",
            'mentions suicide ("want to die")',
        ),
    ],
)
def test_suicide_words_get_the_mental_health_line_and_a_call_today(
    village, factory, handle, language, text, reply, alert
):
    factory.facilitator(village, phone=FACILITATOR, language=language)
    answer = handle(sender(factory, village, language), text, now=NOW)
    assert reply in answer and "SAPA 129" not in answer
    [to_facilitator] = outbox_to(FACILITATOR, kind="alert")
    assert alert in to_facilitator.body and "119 ext 8" in to_facilitator.body


def test_with_no_facilitator_to_tell_the_reply_says_an_officer_will_read_it(app, handle):
    answer = handle("+6281999999999", "anak saya bilang mau bunuh diri", now=NOW)
    assert "119 ext 8" in answer and "Petugas Asuh akan membaca pesan Anda." in answer
    assert "Fasilitator desa sudah kami kabari" not in answer
    [row] = alert_rows()
    assert row.detail["concerns"] == ["suicide"] and row.detail["facilitators_alerted"] == []


def test_several_concerns_get_the_most_urgent_reply_and_every_word_is_recorded(
    village, factory, handle
):
    factory.facilitator(village, phone=FACILITATOR)
    answer = handle(CAREGIVER, "cucu dipukul dan mau dinikahkan, dia bilang ingin mati", now=NOW)
    assert "119 ext 8" in answer
    [row] = alert_rows()
    assert row.detail["concerns"] == ["suicide", "marriage", "harm"]
    assert row.detail["words"] == ["ingin mati", "dinikahkan", "cucu", "dipukul"]


def test_the_village_s_own_hotline_is_named(village, factory, handle):
    village.hotline = "TePSA Blitar 129"
    db.session.commit()
    factory.facilitator(village, phone=FACILITATOR)
    answer = handle(CAREGIVER, "anak saya umur 14 akan dinikahkan", now=NOW)
    assert "Hubungi TePSA Blitar 129 (WhatsApp" in answer
    [to_facilitator] = outbox_to(FACILITATOR, kind="alert")
    assert to_facilitator.body.endswith("Perlindungan anak: TePSA Blitar 129.")


def test_an_ordinary_wedding_is_not_a_concern(village, factory, handle):
    factory.facilitator(village, phone=FACILITATOR)
    handle(CAREGIVER, "besok saya ke pernikahan tetangga", now=NOW)
    assert alert_rows() == [] and outbox_to(FACILITATOR, kind="alert") == []
