"""The registered caregiver's USSD menu, screen by screen, against real Redis and the DB."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from menus import engine
from messages.lessons import load_catalog
from service.models import (
    AuditLog,
    CallbackRequest,
    Caregiver,
    Child,
    Enrollment,
    LessonFeedback,
    MeetingRsvp,
    OptOut,
    OutboxMessage,
    db,
)
from service.states import (
    CallbackStatus,
    EnrollmentState,
    MeetingStatus,
    MessageKind,
    PersonStatus,
)
from tests.fixtures.ussd import add_meeting
from workers.gateway import africastalking as at

THIS_YEAR = datetime.now(UTC).year

PHONE = "+6281377700001"


def respond(session_id, phone, text, now):
    """The engine's answer as Africa's Talking's module sends it to the phone (CON/END)."""
    reply = engine.respond(session_id, phone, text, screen_chars=at.USSD_SCREEN_CHARS, now=now)
    return at.ussd_answer(reply.text, reply.ended)


@pytest.fixture
def village(factory):
    return factory.village("Kanigoro", province="Jawa Timur")


@pytest.fixture
def facilitator(factory, village):
    return factory.facilitator(village, phone="+6281100000001", name="Bu Siti")


@pytest.fixture
def household(factory, village, facilitator):
    return factory.household(village, phone=PHONE, name="Mbah Sumini", births=((2016, 4),))


def caregiver_of(household):
    return household.caregivers[0]


def read_all_pages(session):
    """Press 98 until the last page; the page texts without their navigation lines."""
    pages = [session.text]
    while "98 " in session.text.splitlines()[-1]:
        session.press("98")
        pages.append(session.text)
    return pages


def words(text):
    return " ".join(text.split())


def test_main_menu_offers_every_item_in_the_callers_language(ussd, household):
    session = ussd.dial(PHONE)
    assert session.screen == "main"
    for item in (
        "1 Pelajaran minggu ini",
        "2 Pertemuan desa berikut",
        "3 Anak saya",
        "5 Pengaturan SMS",
        "6 Minta fasilitator menelepon",
        "7 Keluar",
    ):
        assert item in session.text


def test_an_english_caregiver_gets_english(ussd, factory, village):
    factory.household(village, phone="+6281377700002", language="en")
    assert "1 This week's lesson" in ussd.dial("+6281377700002").text


def test_lesson_is_the_last_one_sent_for_the_youngest_childs_age(ussd, factory, village):
    household = factory.household(
        village, phone=PHONE, name="Mbah Sumini", births=((THIS_YEAR - 14, 1), (THIS_YEAR - 3, 6))
    )  # the youngest is 2-3 years old whenever the test runs: band 0-5
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.caregiver_id == caregiver_of(household).id)
    )
    enrollment.position = 2  # two lessons sent: the current one is at position 1
    db.session.commit()
    session = ussd.dial(PHONE)
    session.press("1")
    assert session.screen == "lesson"
    pages = read_all_pages(session)
    assert len(pages) > 1 and session.page == len(pages) - 1
    catalog = load_catalog()
    lesson = catalog.lesson("caregiver", 1, "id")
    expected = catalog.render(
        "caregiver",
        1,
        "id",
        band="0-5",
        village="Kanigoro",
        province="Jawa Timur",
        name="Mbah Sumini",
        ussd="*384*123#",
    )
    shown = words(" ".join("\n".join(page.splitlines()[:-1]) for page in pages))
    assert words(lesson.title + " " + expected) in shown
    assert "Sudah dicoba?\n1 Ya\n2 Belum" in pages[-1]


def test_lesson_before_any_was_sent_is_the_first(ussd, household):
    session = ussd.dial(PHONE)
    session.press("1")
    assert session.text.startswith(load_catalog().lesson("caregiver", 0, "id").title)


def test_lesson_feedback_is_stored_and_a_second_answer_replaces_it(ussd, household):
    session = ussd.dial(PHONE)
    session.press("1")
    read_all_pages(session)
    session.press("1")
    assert session.screen == "lesson.thanks"
    again = ussd.dial(PHONE)
    again.press("1")
    read_all_pages(again)
    again.press("2")
    rows = db.session.scalars(select(LessonFeedback)).all()
    assert [(r.lesson_id, r.answer) for r in rows] == [("cg01", "not_yet")]


def test_lesson_answer_keys_only_work_where_they_are_shown(ussd, household):
    session = ussd.dial(PHONE)
    session.press("1", "1")
    assert session.screen == "lesson" and session.text.startswith("Pilihan tidak ada.")
    assert db.session.scalar(select(LessonFeedback)) is None


@pytest.mark.parametrize(
    "zone, expected_id, expected_en",
    [
        ("Asia/Jakarta", "Sab 5 Des 14:00", "Sat 5 Dec 14:00"),  # WIB, UTC+7
        ("Asia/Makassar", "Sab 5 Des 15:00", "Sat 5 Dec 15:00"),  # WITA, UTC+8
        ("Asia/Jayapura", "Sab 5 Des 16:00", "Sat 5 Dec 16:00"),  # WIT, UTC+9
    ],
)
def test_meeting_time_is_shown_in_the_villages_zone(factory, zone, expected_id, expected_en):
    village = factory.village(timezone=zone)
    factory.household(village, phone=PHONE)
    factory.household(village, phone="+6281377700009", language="en")
    add_meeting(village, starts_at=datetime(2026, 12, 5, 7, 0, tzinfo=UTC), place="Balai Desa")
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert f"{expected_id}\nBalai Desa" in respond("s-id", PHONE, "2", now=now)
    assert f"{expected_en}\nBalai Desa" in respond("s-en", "+6281377700009", "2", now=now)
    later = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)  # the meeting has started: none is next
    assert "Belum ada pertemuan" in respond("s-late", PHONE, "2", now=later)


def test_next_meeting_skips_cancelled_and_past_ones(ussd, village, household):
    add_meeting(village, starts_at=datetime.now(UTC) - timedelta(days=1), place="Lalu")
    add_meeting(village, place="Batal", status=MeetingStatus.CANCELLED)
    add_meeting(village, starts_at=datetime.now(UTC) + timedelta(days=9), place="Jauh")
    add_meeting(village, starts_at=datetime.now(UTC) + timedelta(days=2), place="Dekat")
    session = ussd.dial(PHONE)
    session.press("2")
    assert session.screen == "meeting" and "Dekat" in session.text
    assert "Bapak/Ibu akan datang?\n1 Saya akan datang\n2 Saya tidak bisa" in session.text


def test_meeting_rsvp_is_stored_and_updated(ussd, village, household):
    meeting = add_meeting(village)
    session = ussd.dial(PHONE)
    session.press("2", "1")
    assert session.screen == "meeting.thanks" and "Sampai jumpa" in session.text
    again = ussd.dial(PHONE)
    again.press("2")
    assert "Jawaban Bapak/Ibu: datang" in again.text
    again.press("2")
    rows = db.session.scalars(select(MeetingRsvp)).all()
    assert [(r.meeting_id, r.answer) for r in rows] == [(meeting.id, "not_coming")]


def test_no_meeting_scheduled(ussd, household):
    session = ussd.dial(PHONE)
    session.press("2")
    assert session.screen == "meeting.none"
    assert "Belum ada pertemuan terjadwal" in session.text


def test_children_are_listed_with_their_age(ussd, household):
    now = datetime.now(UTC)
    session = ussd.dial(PHONE)
    session.press("3")
    assert session.screen == "children"
    age = now.year - 2016 - (1 if now.month < 4 else 0)
    assert f"Lahir 04/2016, {age} th" in session.text and "1 Tambah anak" in session.text


def test_a_child_is_added_by_birth_year_then_month(ussd, household):
    session = ussd.dial(PHONE)
    session.press("3", "1")
    assert session.screen == "children.year"
    session.press("2021", "7")
    assert session.screen == "children.added" and "07/2021" in session.text
    session.press("1", "2023", "0")  # another one, month unknown
    assert session.screen == "children.added" and "2023" in session.text
    session.press("0")
    assert session.screen == "children" and "Lahir 2023" in session.text
    births = {(c.birth_year, c.birth_month) for c in db.session.scalars(select(Child))}
    assert births == {(2016, 4), (2021, 7), (2023, None)}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "child.add")).actor == (
        f"ussd:{PHONE}"
    )


@pytest.mark.parametrize("year", ["1990", "2040", "19", "abcd", "20x5"])
def test_a_birth_year_out_of_range_is_refused_with_a_hint(ussd, household, year):
    session = ussd.dial(PHONE)
    session.press("3", "1", year)
    assert session.screen == "children.year"
    assert session.text.startswith("Tahun tidak sesuai.")


@pytest.mark.parametrize("month", ["13", "-1", "x"])
def test_a_birth_month_out_of_range_is_refused_with_a_hint(ussd, household, month):
    session = ussd.dial(PHONE)
    session.press("3", "1", "2020", month)
    assert session.screen == "children.month" and session.text.startswith("Ketik 1-12")
    assert db.session.scalars(select(Child)).all()[1:] == []


def test_a_future_month_of_this_year_is_refused(household):
    """On 10 March 2026 a child born in April 2026 is not born yet."""
    now = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    assert respond("s", PHONE, "3*1*2026*4", now=now).startswith("CON Ketik 1-12")
    assert "ditambahkan" in respond("s", PHONE, "3*1*2026*4*3", now=now)


def test_language_switch_takes_effect_at_once_and_is_stored(ussd, household):
    session = ussd.dial(PHONE)
    session.press("4")
    assert session.screen == "language"
    session.press("2")
    assert session.screen == "language.saved" and "Language changed: English." in session.text
    session.press("0")
    assert "1 This week's lesson" in session.text
    assert db.session.get(Caregiver, caregiver_of(household).id).language == "en"
    assert "This week's lesson" in ussd.dial(PHONE).text


def enrollment_state(household):
    return db.session.scalar(
        select(Enrollment.state).where(Enrollment.caregiver_id == caregiver_of(household).id)
    )


def test_lessons_can_be_paused_and_resumed(ussd, household):
    session = ussd.dial(PHONE)
    session.press("5")
    assert session.screen == "settings" and "Pelajaran: aktif" in session.text
    session.press("1")
    assert session.screen == "settings.saved" and "dijeda" in session.text
    db.session.expire_all()
    assert db.session.get(Caregiver, caregiver_of(household).id).status == PersonStatus.PAUSED
    assert enrollment_state(household) == EnrollmentState.PAUSED
    session.press("0")
    assert session.screen == "settings" and "Pelajaran: dijeda" in session.text
    session.press("2")
    db.session.expire_all()
    assert db.session.get(Caregiver, caregiver_of(household).id).status == PersonStatus.ACTIVE
    assert enrollment_state(household) == EnrollmentState.ACTIVE


def test_preferred_time_of_day_is_stored(ussd, household):
    session = ussd.dial(PHONE)
    session.press("5", "3")
    assert session.screen == "settings.time"
    session.press("3")
    assert session.screen == "settings.saved" and "sore" in session.text
    assert db.session.get(Caregiver, caregiver_of(household).id).preferred_time == "evening"
    session.press("0")
    assert "Waktu SMS: sore" in session.text


def test_a_caregiver_who_sent_stop_can_still_use_the_menu(ussd, household):
    caregiver = caregiver_of(household)
    caregiver.status = PersonStatus.STOPPED
    db.session.add(OptOut(phone=PHONE))
    db.session.commit()
    session = ussd.dial(PHONE)
    session.press("1")
    assert session.screen == "lesson"
    session.press("00", "5", "2")
    assert session.screen == "settings.saved" and "Kirim SMS MULAI" in session.text
    assert db.session.get(Caregiver, caregiver.id).status == PersonStatus.STOPPED


def alerts():
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.ALERT)
    ).all()


def test_callback_request_is_stored_and_the_facilitator_alerted_once(ussd, household, facilitator):
    session = ussd.dial(PHONE)
    session.press("6")
    assert session.screen == "callback"
    session.press("1")
    assert session.screen == "callback.sent" and session.ended
    request = db.session.scalar(select(CallbackRequest))
    assert request.status == CallbackStatus.OPEN and request.village_id == household.village_id
    [sms] = alerts()
    assert sms.to_phone == facilitator.phone and "Mbah Sumini" in sms.body and PHONE in sms.body
    assert household.code in sms.body
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "callback.request"))
    again = ussd.dial(PHONE)
    again.press("6", "1")
    assert again.screen == "callback.already" and again.ended
    assert len(db.session.scalars(select(CallbackRequest)).all()) == 1 and len(alerts()) == 1


def test_exit_ends_the_session(ussd, household):
    session = ussd.dial(PHONE)
    session.press("7")
    assert session.screen == "exit" and session.ended
