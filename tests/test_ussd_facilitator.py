"""The facilitator's USSD menu: households, next meeting with RSVPs, callback requests."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from service.models import AuditLog, CallbackRequest, MeetingRsvp, db
from service.states import CallbackStatus, HouseholdStatus
from tests.fixtures.ussd import add_meeting

FACILITATOR = "+6281100000001"


@pytest.fixture
def village(factory):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR, name="Bu Siti")
    return village


def ask_callback(household, minutes_ago=0):
    caregiver = household.caregivers[0]
    row = CallbackRequest(
        caregiver_id=caregiver.id,
        village_id=household.village_id,
        created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_a_facilitator_gets_the_facilitator_menu(ussd, village):
    session = ussd.dial("081100000001")
    assert session.screen == "fac.main"
    assert session.text.startswith("Asuh fasilitator - Kanigoro")
    assert "1 Keluarga\n2 Pertemuan berikut\n3 Permintaan telepon" in session.text


def test_households_are_paged_with_pending_ones_first(ussd, factory, village):
    for n in range(8):
        factory.household(village, name=f"Ibu Aktif {n}")
    pending = factory.household(village, name="Mbah Baru", status=HouseholdStatus.PENDING)
    other = factory.household(factory.village("Lain"), name="Orang Lain")
    session = ussd.dial(FACILITATOR)
    session.press("1")
    assert session.screen == "fac.households"
    assert session.text.startswith(f"Keluarga:\n{pending.code} Mbah Baru (baru)")
    shown = [session.text]
    while "98 Lanjut" in session.text:
        session.press("98")
        shown.append(session.text)
    assert len(shown) > 1
    listed = "\n".join(shown)
    assert listed.count("(aktif)") == 8 and other.code not in listed


def test_no_households_yet(ussd, village):
    session = ussd.dial(FACILITATOR)
    session.press("1")
    assert "Belum ada keluarga." in session.text


def test_next_meeting_with_rsvp_counts(ussd, factory, village):
    meeting = add_meeting(village, place="Rumah Pak RT")
    for n, answer in enumerate(["coming", "coming", "not_coming"]):
        caregiver = factory.household(village, name=f"Ibu {n}").caregivers[0]
        db.session.add(MeetingRsvp(meeting_id=meeting.id, caregiver_id=caregiver.id, answer=answer))
    db.session.commit()
    session = ussd.dial(FACILITATOR)
    session.press("2")
    assert session.screen == "fac.meeting"
    assert "Rumah Pak RT\nDatang: 2, tidak: 1" in session.text


def test_facilitator_without_a_meeting(ussd, village):
    session = ussd.dial(FACILITATOR)
    session.press("2")
    assert "Belum ada pertemuan terjadwal" in session.text


def test_open_callbacks_are_listed_and_can_be_marked_done(ussd, factory, village):
    first = ask_callback(factory.household(village, name="Mbah Sumini"), minutes_ago=30)
    ask_callback(factory.household(village, name="Pak Darto"), minutes_ago=10)
    session = ussd.dial(FACILITATOR)
    session.press("3")
    assert session.screen == "fac.callbacks"
    lines = session.text.splitlines()
    assert lines[1].startswith("1 Mbah Sumini") and lines[2].startswith("2 Pak Darto")
    session.press("1")
    assert session.screen == "fac.callback" and "Minta ditelepon" in session.text
    assert first.caregiver.phone in session.text
    session.press("1")
    assert session.screen == "fac.callback.done"
    db.session.expire_all()
    assert db.session.get(CallbackRequest, first.id).status == CallbackStatus.DONE
    assert db.session.get(CallbackRequest, first.id).resolved_at is not None
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "callback.done"))
    session.press("0")
    assert session.screen == "fac.callbacks"
    assert "Mbah Sumini" not in session.text and "1 Pak Darto" in session.text


def test_a_callback_closed_meanwhile_gets_a_hint(ussd, factory, village):
    request = ask_callback(factory.household(village, name="Mbah Sumini"))
    session = ussd.dial(FACILITATOR)
    session.press("3", "1")
    request.status = CallbackStatus.DONE
    db.session.commit()
    session.press("1")
    assert session.screen == "fac.callback" and session.text.startswith("Sudah tidak terbuka.")


def test_no_open_callbacks(ussd, village):
    session = ussd.dial(FACILITATOR)
    session.press("3")
    assert "Tidak ada permintaan terbuka." in session.text
    session.press("1")
    assert session.text.startswith("Pilihan tidak ada.")


def test_a_facilitator_can_switch_language(ussd, village):
    session = ussd.dial(FACILITATOR)
    session.press("4", "2", "0")
    assert session.text.startswith("Asuh facilitator - Kanigoro")
