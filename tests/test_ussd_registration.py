"""Registration over USSD for a caller the database does not know yet."""

import pytest
from sqlalchemy import func, select

from service.models import (
    AuditLog,
    Caregiver,
    Child,
    Enrollment,
    Household,
    OutboxMessage,
    db,
    utcnow,
)
from service.states import EnrollmentState, HouseholdStatus, MessageKind

NEW = "+6281399900001"


@pytest.fixture
def village(factory):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone="+6281100000001")
    return village


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_unknown_caller_is_offered_registration(ussd, village):
    session = ussd.dial(NEW)
    assert session.screen == "reg.welcome"
    assert "belum terdaftar" in session.text and "1 Daftar" in session.text


def test_registration_creates_a_pending_household_after_consent(ussd, village):
    session = ussd.dial("0813-9990-0001")
    session.press("1")
    assert session.screen == "reg.name"
    session.press("Siti Aminah")
    assert session.screen == "reg.village" and "1 Kanigoro" in session.text
    session.press("1")
    assert session.screen == "reg.relationship" and "1 Nenek" in session.text
    session.press("1")
    assert session.screen == "reg.birth"
    session.press("2018")
    assert session.screen == "reg.more" and "2018" in session.text
    session.press("1", "2021")
    assert "2018, 2021" in session.text
    session.press("2")
    assert session.screen == "reg.consent" and "Setuju?" in session.text
    assert "bulan/tahun lahir anak" in session.text and "STOP" in session.text  # what, how to stop
    assert "98 Lanjut" not in session.text  # the whole consent and its answers on one screen
    assert count(Household) == 0  # nothing is written before the caller agrees
    session.press("1")
    assert session.screen == "reg.done" and session.ended
    household = db.session.scalar(select(Household))
    assert household.code in session.text and "Siti Aminah" in session.text
    assert household.status == HouseholdStatus.PENDING and household.registered_via == "ussd"
    caregiver = db.session.scalar(select(Caregiver))
    assert (caregiver.name, caregiver.phone, caregiver.relationship) == (
        "Siti Aminah",
        NEW,
        "grandmother",
    )
    assert caregiver.consent_at is not None and caregiver.language == "id"
    assert sorted(c.birth_year for c in db.session.scalars(select(Child))) == [2018, 2021]
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.caregiver_id == caregiver.id
    assert enrollment.state == EnrollmentState.PAUSED  # until the facilitator confirms
    [sms] = db.session.scalars(select(OutboxMessage)).all()
    assert sms.kind == MessageKind.ALERT and sms.to_phone == "+6281100000001"
    assert household.code in sms.body and "Siti Aminah" in sms.body and NEW in sms.body
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.register"))
    assert audit.actor == f"ussd:{NEW}"


def test_declining_consent_creates_nothing(ussd, village):
    session = ussd.dial(NEW)
    session.press("1", "Siti", "1", "3", "2019", "2", "2")
    assert session.screen == "reg.declined" and session.ended
    assert (count(Household), count(Caregiver), count(OutboxMessage)) == (0, 0, 0)


def test_a_registered_caller_gets_the_caregiver_menu_next_time(ussd, village):
    ussd.dial(NEW).press("1", "Siti", "1", "3", "2019", "2", "1")
    assert ussd.dial(NEW).screen == "main"


def test_the_village_list_is_paginated(ussd, factory, village):
    for n in range(1, 16):
        factory.village(f"Desa {n:02d}")
    session = ussd.dial(NEW)
    session.press("1", "Siti")
    first = session.text
    assert first.startswith("Pilih desa Bapak/Ibu:\n1 Desa 01") and "98 Lanjut" in first
    session.press("98")
    assert session.page == 1 and session.text.startswith("1 Desa")
    picked = session.text.splitlines()[1][2:]  # the page's second village
    session.press("0")
    assert session.text == first
    session.press("98", "2", "1", "2019", "2")
    assert picked in session.text  # the consent names the village chosen on page 2


def test_a_new_caller_gets_the_villages_language_unless_they_chose(ussd, factory, village):
    factory.village("Zebra", language="en")
    session = ussd.dial(NEW)
    session.press("1", "Siti", "2")
    assert session.text.startswith("You are the child's:")
    chosen = ussd.dial("+6281399900002")
    chosen.press("2", "1")
    assert chosen.screen == "language.saved" and "Bahasa Indonesia" in chosen.text
    chosen.press("0", "1", "Siti", "2")
    assert chosen.text.startswith("Hubungan Bapak/Ibu dengan anak:")


@pytest.mark.parametrize("name", ["7", "  ", "x" * 41, "@@@"])
def test_a_name_must_look_like_a_name(ussd, village, name):
    session = ussd.dial(NEW)
    session.press("1", name)
    assert session.screen == "reg.name" and session.text.startswith("Ketik nama Bapak/Ibu.")


def test_a_registration_child_year_is_checked(ussd, village):
    session = ussd.dial(NEW)
    session.press("1", "Siti", "1", "1", "1999")
    assert session.screen == "reg.birth" and session.text.startswith("Tahun tidak sesuai.")


def test_at_most_eight_children(ussd, village):
    session = ussd.dial(NEW)
    session.press("1", "Siti", "1", "1")
    this_year = utcnow().year
    for year in range(this_year - 10, this_year - 2):  # eight children, all under 18
        session.press(str(year))
        if year < this_year - 3:
            session.press("1")
    session.press("1")
    assert session.screen == "reg.more" and session.text.startswith("Paling banyak 8 anak.")


def test_going_back_past_the_children_starts_the_list_again(ussd, village):
    session = ussd.dial(NEW)
    session.press("1", "Siti", "1", "1", "2015", "0")
    assert session.screen == "reg.relationship"
    session.press("2", "2019", "2", "1")
    assert [c.birth_year for c in db.session.scalars(select(Child))] == [2019]
    assert db.session.scalar(select(Caregiver.relationship)) == "grandfather"
