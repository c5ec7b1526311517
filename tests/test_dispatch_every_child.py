"""Every child reached by the scheduler: the lessons take turns between a household's children,
lessons meant for a band go only to homes with such a child, and regional packs add lessons
and name the village's own services."""

from datetime import timedelta

import pytest

from messages.lessons import load_catalog
from service.brand import branded
from service.models import db
from tests.content_catalog import cat, pack, shipped_as
from tests.fixtures.schedule import at

__all__ = ["cat", "shipped_as"]
JKT = "Asia/Jakarta"
MONDAY_0830 = at(JKT, "2031-03-03 08:30")
BEFORE = at(JKT, "2031-02-20 10:00")
TODDLER, SCHOOL, TEEN = (2028, 1), (2023, 1), (2017, 1)  # 3, 8 and 14 in March 2031
NTT = "Nusa Tenggara Timur"


def lesson(position, band=None, village="Kanigoro", province="Jawa Timur", **values):
    """The lesson as the phone receives it."""
    catalog = load_catalog()
    text = catalog.render("caregiver", position, "id", band, village, province, **values)
    return branded(text)


@pytest.fixture
def daily(app):
    """Caregivers get a lesson every day, so a fortnight of ticks walks two weeks of lessons."""
    app.config["TRACK_LESSONS_PER_WEEK"] = {**app.config["TRACK_LESSONS_PER_WEEK"], "caregiver": 7}


def position(lesson_id, village="Kanigoro", province="Jawa Timur"):
    """Where a lesson sits in a village's sequence (regional lessons included)."""
    sequence = load_catalog().sequence("caregiver", "id", village, province)
    return next(x.position for x in sequence if x.id == lesson_id)


def sent_over(dispatcher, days, start=MONDAY_0830):
    for day in range(days):
        dispatcher.tick(start + timedelta(days=day))
    return dispatcher.rows(kind="lesson")


def test_a_grandmother_of_a_three_and_a_fourteen_year_old_hears_about_both(
    dispatcher, factory, daily
):
    village = factory.village("Kanigoro", timezone=JKT)
    factory.household(village, births=(TODDLER, TEEN), now=BEFORE)
    rows = sent_over(dispatcher, 6)
    assert [row.lesson_id for row in rows] == ["cg01", "cg02", "cg03", "cg04", "cg05", "cg06"]
    expected = ["0-5", "12-17", "0-5", "12-17", None, "0-5"]
    assert [row.body for row in rows] == [lesson(n, band) for n, band in enumerate(expected)]


def test_three_children_each_get_their_turn(dispatcher, factory, daily):
    village = factory.village("Kanigoro", timezone=JKT)
    factory.household(village, births=(TEEN, TODDLER, SCHOOL), now=BEFORE)
    rows = sent_over(dispatcher, 3)
    assert [row.body for row in rows] == [lesson(0, "0-5"), lesson(1, "6-11"), lesson(2, "12-17")]


@pytest.mark.parametrize(
    ("births", "sent"),
    [
        pytest.param((TODDLER, TEEN), ["cg29", "cg30"], id="a teenager at home: teen lessons go"),
        pytest.param((TODDLER,), ["cg32", "cg34"], id="a toddler only: cg29-31 and 33 skipped"),
        pytest.param((SCHOOL,), ["cg30", "cg31"], id="an 8-year-old: only the teen-only skipped"),
        pytest.param((), ["cg32", "cg34"], id="no child registered: banded lessons skipped"),
    ],
)
def test_lessons_meant_for_a_band_go_only_to_homes_with_such_a_child(
    dispatcher, factory, daily, births, sent
):
    village = factory.village("Kanigoro", timezone=JKT)
    home = factory.household(village, births=births, now=BEFORE)
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=position("cg29"))
    rows = sent_over(dispatcher, 2)
    assert [row.lesson_id for row in rows] == sent
    assert dispatcher.caregiver_enrollment(home).position == position(sent[-1]) + 1


def test_an_under_five_lesson_is_skipped_for_a_school_child_and_the_track_still_ends(
    dispatcher, factory, daily
):
    village = factory.village("Kanigoro", timezone=JKT)
    home = factory.household(village, births=(SCHOOL,), now=BEFORE)
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=position("cg25"))
    assert [row.lesson_id for row in sent_over(dispatcher, 1)] == ["cg27"]
    last = load_catalog().count("caregiver", "Kanigoro", "Jawa Timur") - 1
    dispatcher.make_due(dispatcher.caregiver_enrollment(home), BEFORE, position=last)
    sent_over(dispatcher, 2, MONDAY_0830 + timedelta(days=1))
    enrollment = dispatcher.caregiver_enrollment(home)
    assert (enrollment.state, enrollment.position) == ("completed", last + 1)


# ---------------------------------------------------------------- regional packs


@pytest.fixture
def regional(cat, shipped_as):
    """cg01 names the local services; the NTT pack adds a lesson after cg01 and names them."""
    for language in ("id", "en"):
        cat.lesson("caregiver", "cg01", language)["text"] = (
            "Kekerasan? Hubungi {uptd_ppa} atau {hotline}. Periksa di {puskesmas}. Coba ini."
        )
    own = {
        "id": "ntt-cg01",
        "track": "caregiver",
        "after": "cg01",
        "title": "Sekolah Minggu",
        "topic": "faith",
        "text": "Mama/Bapa, ajak anak ke sekolah Minggu di {village}. Coba ini.",
        "sources": ["UNICEF Indonesia, Parenting resources"],
    }
    cat.packs["ntt.id.toml"] = pack(
        "province", NTT, placeholders={"uptd_ppa": "UPTD PPA NTT"}, lesson=[own]
    )
    return shipped_as(cat.write())


def test_a_pack_lesson_comes_after_its_anchor_in_the_pack_s_villages_only(
    dispatcher, factory, daily, regional
):
    oelnasi = factory.village("Oelnasi", timezone="Asia/Makassar", province=NTT)
    kanigoro = factory.village("Kanigoro", timezone=JKT)
    there = factory.household(oelnasi, births=(SCHOOL,), now=BEFORE)
    here = factory.household(kanigoro, births=(SCHOOL,), now=BEFORE)
    sent_over(dispatcher, 3, at("Asia/Makassar", "2031-03-03 09:30"))  # 08:30 in Java
    by_phone = {}
    for row in dispatcher.rows(kind="lesson"):
        by_phone.setdefault(row.to_phone, []).append(row)
    there_rows = by_phone[there.caregivers[0].phone]
    assert [row.lesson_id for row in there_rows] == ["cg01", "ntt-cg01", "cg02"]
    assert (
        there_rows[1].body == "Asuh: Mama/Bapa, ajak anak ke sekolah Minggu di Oelnasi. Coba ini."
    )
    assert there_rows[1].idempotency_key.endswith(":ntt-cg01")  # keyed by lesson
    assert [row.lesson_id for row in by_phone[here.caregivers[0].phone]] == ["cg01", "cg02", "cg03"]


def test_local_services_are_the_village_s_own_else_its_pack_s_else_the_defaults(
    app, dispatcher, factory, regional
):
    app.config["CHILD_HOTLINE"] = "SAPA 129 KemenPPPA"
    oelnasi = factory.village(
        "Oelnasi", timezone="Asia/Makassar", province=NTT, puskesmas="Puskesmas Baumata"
    )
    kanigoro = factory.village("Kanigoro", timezone=JKT, uptd_ppa="UPTD PPA Blitar")
    for village in (oelnasi, kanigoro):
        factory.household(village, births=(SCHOOL,), now=BEFORE)
    dispatcher.tick(at("Asia/Makassar", "2031-03-03 09:31"))
    bodies = sorted(row.body for row in dispatcher.rows(kind="lesson"))
    assert bodies == [
        "Asuh: Kekerasan? Hubungi UPTD PPA Blitar atau SAPA 129 KemenPPPA. Periksa di "
        "puskesmas. Coba ini.",
        "Asuh: Kekerasan? Hubungi UPTD PPA NTT atau SAPA 129 KemenPPPA. Periksa di "
        "Puskesmas Baumata. Coba ini.",
    ]
    kanigoro.hotline = "TePSA 129"
    db.session.commit()
    assert "TePSA 129" in lesson(0, village="Kanigoro", hotline=kanigoro.hotline)
