"""Javanese, Sundanese and Sasak end to end, with the catalogs the translators wrote.

A Javanese-speaking grandmother in a Javanese village is registered by SMS, dials USSD, and
receives her welcome, lessons, replies and meeting reminders in Javanese (krama). Sundanese
and Sasak callers read the menus in their language, and a lesson their language has not
written yet comes in Indonesian. Each test waits for its language's files (they land from
the translators' branches) and says so when they are not in the tree yet.
"""

import pytest
from sqlalchemy import select

from menus.text import CATALOGS as MENUS
from menus.text import t
from messages.handlers.welcome import welcome_text
from messages.lessons import load_catalog
from messages.replies import reply_text
from service.brand import branded
from service.enrollments import enroll
from service.models import Caregiver, Household, Meeting, db
from service.states import Track
from tests.fixtures.schedule import at
from tests.fixtures.sms import outbox_to
from workers.reminders import MeetingText

JKT = "Asia/Jakarta"
FACILITATOR = "+6281100000601"
GRANDMOTHER = "+6281299990601"
PARENT_ABROAD = "+85291230601"


def needs(code):
    """Skip until the language's menu catalog is in the tree."""
    return pytest.mark.skipif(
        not (MENUS / f"{code}.po").exists(), reason=f"{code} catalogs have not landed yet"
    )


def translated(key, code, text):
    """The text is the language's own, not the Indonesian it would fall back to."""
    assert text != t("id", key), f"{key} is not translated into {code}"
    return text


@needs("jv")
def test_a_javanese_grandmother_reads_and_hears_asuh_in_javanese(factory, sms, ussd, dispatcher):
    village = factory.village("Kanigoro", timezone=JKT, language="jv")
    factory.facilitator(village, phone=FACILITATOR, language="id")
    (registered,) = sms(FACILITATOR, "DAFTAR Mbah Karsih 0812 9999 0601 nenek 2019-03")
    assert "Mbah Karsih" in registered  # the facilitator is answered in her own language
    carer = db.session.scalar(select(Caregiver).where(Caregiver.phone == GRANDMOTHER))
    assert carer.language == "jv"  # taken from the village

    (welcome,) = outbox_to(GRANDMOTHER, kind="welcome")
    assert welcome.body == branded(welcome_text("welcome.caregiver", "jv", name="Mbah Karsih"))
    assert welcome.body != welcome_text("welcome.caregiver", "id", name="Mbah Karsih")

    session = ussd.dial(GRANDMOTHER)
    assert translated("main.lesson", "jv", t("jv", "main.lesson")) in session.text
    session.press("1")
    first = load_catalog().lesson("caregiver", 0, "jv")
    assert first.language == "jv" and first.title in session.text

    (help_reply,) = sms(GRANDMOTHER, "BANTUAN")
    assert help_reply == reply_text("help.public", "jv", ussd="*384*123#")
    assert help_reply != reply_text("help.public", "id", ussd="*384*123#")

    household = db.session.get(Household, carer.household_id)
    enrollment = dispatcher.caregiver_enrollment(household)
    dispatcher.make_due(enrollment, at(JKT, "2031-03-03 08:00"), position=0)
    meeting = Meeting(village_id=village.id, starts_at=at(JKT, "2031-03-06 19:00"), place="Balai")
    meeting.topic = "fs02"
    db.session.add(meeting)
    db.session.commit()
    dispatcher.tick(at(JKT, "2031-03-03 08:30"))
    (lesson,) = dispatcher.rows(kind="lesson", to_phone=GRANDMOTHER)
    versions = [first.text, *first.variants.values()]  # the one for her grandchild's age
    assert lesson.language == "jv" and any(v.split(".")[0] in lesson.body for v in versions)
    dispatcher.tick(at(JKT, "2031-03-04 09:00"))
    rows = dispatcher.rows(kind="reminder", to_phone=GRANDMOTHER)
    (reminder,) = [row for row in rows if row.idempotency_key.endswith(":day")]
    expected = MeetingText(db.session.get(Meeting, meeting.id)).body("reminder.day", "jv")
    assert reminder.body == expected != MeetingText(meeting).body("reminder.day", "id")


@pytest.mark.parametrize("code", [pytest.param(c, marks=needs(c)) for c in ("su", "sas")])
def test_sundanese_and_sasak_menus_with_indonesian_lessons_where_none_is_written(
    code, factory, ussd, dispatcher
):
    village = factory.village("Cikoneng", timezone=JKT, language=code)
    home = factory.household(village, phone=GRANDMOTHER, births=((2019, 3),))
    assert home.caregivers[0].language == code
    session = ussd.dial(GRANDMOTHER)
    assert translated("main.lesson", code, t(code, "main.lesson")) in session.text

    catalog = load_catalog()
    lessons = catalog.lessons("caregiver", code)
    written = [x.position for x in lessons if x.language == code]
    fallen = [x.position for x in lessons if x.language == "id"]
    assert written, written  # the first lessons are in the language
    # While the caregiver track is still being translated, the lesson screen shows the lessons
    # it lacks in Indonesian; a complete track has none left to fall back.
    for position, language in ((written[0], code), *((p, "id") for p in fallen[:1])):
        dispatcher.make_due(dispatcher.caregiver_enrollment(home), None, position=position + 1)
        session = ussd.dial(GRANDMOTHER)
        session.press("1")
        shown = catalog.lesson("caregiver", position, code)
        assert shown.language == language and shown.title in session.text

    # A track no regional language has written (parents abroad) comes in Indonesian, by SMS.
    parent = factory.migrant(home, phone=PARENT_ABROAD, country="HK", language=code)
    enroll(Track.MIGRANT, parent.id, now=at(JKT, "2031-03-02 08:00"))
    db.session.commit()
    dispatcher.tick(at("Asia/Hong_Kong", "2031-03-03 18:00"))
    (sent,) = dispatcher.rows(kind="lesson", to_phone=PARENT_ABROAD)
    first = catalog.lesson("migrant", 0, code)
    assert first.language == "id" and (sent.lesson_id, sent.language) == (first.id, "id")
    assert first.text.split(".")[0] in sent.body or any(
        v.split(".")[0] in sent.body for v in first.variants.values()
    )
