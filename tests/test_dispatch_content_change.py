"""Content changed mid-cycle (issue 12): a pack lesson added before or after where a village
is, or a lesson removed, neither repeats nor skips a lesson; the enrollment carries on after
the last lesson it was written (`last_lesson_id`), wherever that lesson now stands."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from service.models import Enrollment, db
from tests.content_catalog import cat, pack, shipped_as
from tests.fixtures.schedule import at

__all__ = ["cat", "shipped_as"]
NTT = "Nusa Tenggara Timur"
WITA = "Asia/Makassar"
START = at(WITA, "2031-03-03 09:30")
BEFORE = at(WITA, "2031-02-20 10:00")


def own(lesson_id, after):
    """A pack's own caregiver lesson, inserted after `after` in the pack's villages."""
    return {
        "id": lesson_id,
        "track": "caregiver",
        "after": after,
        "title": f"Lesson {lesson_id}",
        "topic": "faith",
        "text": f"Mama/Bapa, {lesson_id} di {{village}}. Coba ini.",
        "sources": ["UNICEF Indonesia, Parenting resources"],
    }


@pytest.fixture
def daily(app):
    """A lesson every day, so each day's tick writes the next one."""
    app.config["TRACK_LESSONS_PER_WEEK"] = {**app.config["TRACK_LESSONS_PER_WEEK"], "caregiver": 7}


@pytest.fixture
def serve(cat, shipped_as):
    """Write the test catalog (as edited so far) and serve it as the shipped lessons."""
    return lambda: shipped_as(cat.write())


@pytest.fixture
def home(factory, daily):
    village = factory.village("Oelnasi", timezone=WITA, province=NTT)
    return factory.household(village, births=((2023, 1),), now=BEFORE)


def days(dispatcher, count, first):
    """One tick a day from day `first` (0 = START), at the village's morning hour."""
    for day in range(first, first + count):
        dispatcher.tick(START + timedelta(days=day))


def sent(dispatcher):
    return [row.lesson_id for row in dispatcher.rows(kind="lesson")]


def remove(cat, lesson_id):
    for language in ("id", "en"):
        lessons = cat.data[("caregiver", language)]
        lessons[:] = [x for x in lessons if x["id"] != lesson_id]


def test_a_pack_lesson_added_behind_a_village_repeats_nothing_and_one_ahead_is_received(
    dispatcher, cat, serve, home
):
    serve()
    days(dispatcher, 3, 0)
    assert sent(dispatcher) == ["cg01", "cg02", "cg03"]

    # Mid-cycle, the NTT pack gains a lesson after cg01 (behind) and one after cg04 (ahead).
    cat.packs["ntt.id.toml"] = pack(
        "province", NTT, lesson=[own("ntt-cg01", "cg01"), own("ntt-cg04", "cg04")]
    )
    serve()
    days(dispatcher, 4, 3)
    assert sent(dispatcher) == ["cg01", "cg02", "cg03", "cg04", "ntt-cg04", "cg05", "cg06"]
    enrollment = dispatcher.caregiver_enrollment(home)
    assert (enrollment.position, enrollment.last_lesson_id) == (8, "cg06")  # ntt-cg01 counts
    keys = [row.idempotency_key for row in dispatcher.rows(kind="lesson")]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("removed", ["ntt-cg01", "cg02"], ids=["pack lesson", "track lesson"])
def test_a_lesson_removed_behind_a_village_skips_nothing(dispatcher, cat, serve, home, removed):
    cat.packs["ntt.id.toml"] = pack("province", NTT, lesson=[own("ntt-cg01", "cg01")])
    serve()
    days(dispatcher, 4, 0)
    assert sent(dispatcher) == ["cg01", "ntt-cg01", "cg02", "cg03"]

    if removed.startswith("ntt"):
        cat.packs["ntt.id.toml"] = pack("province", NTT, lesson=[own("ntt-cg09", "cg09")])
    else:
        remove(cat, removed)
    serve()
    days(dispatcher, 3, 4)
    # cg04 now stands where cg03 was written: keyed by position, its row would be dropped.
    assert sent(dispatcher)[4:] == ["cg04", "cg05", "cg06"]
    assert dispatcher.caregiver_enrollment(home).last_lesson_id == "cg06"


def test_a_lesson_added_and_then_removed_again_neither_repeats_nor_skips(
    dispatcher, cat, serve, home
):
    serve()
    days(dispatcher, 2, 0)
    cat.packs["ntt.id.toml"] = pack("province", NTT, lesson=[own("ntt-cg01", "cg01")])
    serve()
    days(dispatcher, 2, 2)
    del cat.packs["ntt.id.toml"]
    (cat.root / "packs" / "ntt.id.toml").unlink()
    serve()
    days(dispatcher, 2, 4)
    assert sent(dispatcher) == ["cg01", "cg02", "cg03", "cg04", "cg05", "cg06"]


def test_an_enrollment_without_a_last_lesson_keeps_its_position_as_before(
    dispatcher, cat, serve, home
):
    """Rows from before the migration have no last lesson (and their lessons were keyed by
    position): the position is taken as it is."""
    serve()
    days(dispatcher, 3, 0)
    enrollment = dispatcher.caregiver_enrollment(home)
    db.session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id).values(last_lesson_id=None)
    )
    for n, row in enumerate(dispatcher.rows(kind="lesson")):
        row.idempotency_key = f"lesson:{enrollment.id}:{n}"
    db.session.commit()
    cat.packs["ntt.id.toml"] = pack("province", NTT, lesson=[own("ntt-cg01", "cg01")])
    serve()
    days(dispatcher, 2, 3)
    # Position 3 is now cg03 again: the one repeat this issue removes for recorded rows.
    assert sent(dispatcher) == ["cg01", "cg02", "cg03", "cg03", "cg04"]
    enrollment = dispatcher.caregiver_enrollment(home)
    assert (enrollment.position, enrollment.last_lesson_id) == (5, "cg04")


def test_this_weeks_lesson_on_ussd_is_the_one_sent_even_after_a_lesson_was_added_behind(
    dispatcher, cat, serve, home, ussd
):
    serve()
    days(dispatcher, 3, 0)
    assert sent(dispatcher)[-1] == "cg03"
    cat.packs["ntt.id.toml"] = pack("province", NTT, lesson=[own("ntt-cg01", "cg01")])
    serve()  # cg03 now stands one place later; nothing has been sent since
    session = ussd.dial(home.caregivers[0].phone)
    session.press("1")
    lesson = cat.data[("caregiver", "id")][2]
    assert lesson["id"] == "cg03" and lesson["title"] in session.text
