"""USSD "Pelajaran sebelumnya": the last lessons that reached the caller, listed by title in
pages, each readable again as it was received."""

from datetime import UTC, datetime, timedelta

import pytest

from service.models import OutboxMessage, db

PHONE = "+6281377700001"
NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)


@pytest.fixture
def household(factory):
    village = factory.village("Kanigoro", language="id")
    return factory.household(village, phone=PHONE, name="Mbah Sumini", births=((2016, 4),))


def received(number, lesson_id, body, status="delivered", to=PHONE):
    """A lesson row as the sender left it, sent `number` days before NOW."""
    at = NOW - timedelta(days=30 - number)
    db.session.add(
        OutboxMessage(
            idempotency_key=f"t:{to}:{lesson_id}",
            to_phone=to,
            body=body,
            kind="lesson",
            status=status,
            lesson_id=lesson_id,
            sent_at=at,
            created_at=at,
            segments=2,
        )
    )
    db.session.commit()


def open_previous(ussd):
    session = ussd.dial(PHONE)
    session.press("1")  # this week's lesson
    while "98 " in session.text:
        session.press("98")
    session.press("3")  # earlier lessons
    return session


def test_the_last_lessons_received_are_listed_newest_first_and_read_again(ussd, household):
    received(1, "cg01", "Asuh: Halo, anak butuh waktu khusus. Coba ini: 10 menit.")
    received(2, "cg02", "Asuh: Pujian kecil. Coba ini: puji tiga hal.")
    received(3, "cg03", "Asuh: belum sampai", status="failed")  # never reached the phone
    received(4, "cg04", "Asuh: punya orang lain", to="+6281377700099")
    session = open_previous(ussd)
    assert session.screen == "lesson.previous"
    assert session.text.startswith("Pelajaran yang sudah diterima:\n1 Pujian kecil, hasil besar")
    assert "2 Waktu berdua 10 menit" in session.text
    assert "orang lain" not in session.text and "3 " not in session.text
    session.press("2")
    assert session.screen == "lesson.previous.one"
    assert session.text.startswith("Halo, anak butuh waktu khusus. Coba ini: 10 menit.")
    session.press("0")
    assert session.screen == "lesson.previous"


def test_ten_lessons_are_listed_in_pages(ussd, household):
    for number in range(1, 13):
        received(number, f"cg{number:02d}", f"Asuh: pelajaran {number}.")
    session = open_previous(ussd)
    pages = [session.text]
    while "98 " in session.text:
        session.press("98")
        pages.append(session.text)
    lines = "\n".join(pages).splitlines()[1:]  # the list's title heads the first page only
    titles = [line for line in lines if not line.startswith(("98 ", "0 "))]
    assert all(title[:1].isdigit() for title in titles)
    assert len(pages) > 1 and all(len(page) <= 182 for page in pages)
    assert len(titles) == 10 and titles[0] == "1 Jaga diri Bapak/Ibu juga"  # cg12, newest
    assert not any("Waktu berdua" in page or "Pujian kecil" in page for page in pages)


def test_before_any_lesson_arrived_the_list_says_so(ussd, household):
    session = open_previous(ussd)
    assert session.text.startswith("Pelajaran yang sudah diterima:\nBelum ada pelajaran")


def test_english_labels_for_an_english_caregiver(ussd, factory):
    village = factory.village("Sakra", language="en")
    factory.household(village, phone=PHONE, language="en")
    received(1, "cg01", "Asuh: Hello, a child needs special time with you.")
    session = open_previous(ussd)
    assert session.text.startswith("Lessons you have received:\n1 Ten minutes together")
