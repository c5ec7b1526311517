"""Every child reached: with several children, the lessons take turns speaking about each one,
and a lesson meant for teenagers goes only to households that have one."""

import pytest

from messages.lessons import AGE_BANDS, LANGUAGES, household_bands, load_catalog, reaches
from tests.content_catalog import cat

__all__ = ["cat"]


def test_household_bands_are_distinct_and_youngest_first():
    assert household_bands([14, 3, 4, 19, 9]) == ("0-5", "6-11", "12-17")
    assert household_bands([16, 13]) == ("12-17",)
    assert household_bands([18, 25]) == ()
    assert household_bands([-1, 2]) == ("0-5",)  # a child not born yet counts for nothing


@pytest.fixture
def varied(cat):
    """Caregiver lessons 2, 4, 6, 8 speak to every band; lesson 5 is for teenagers only."""
    for language in LANGUAGES:
        for number in (2, 4, 6, 8):
            cat.lesson("caregiver", f"cg{number:02d}", language)["variants"] = {
                band: f"cg{number:02d} for {band}" for band in AGE_BANDS
            }
        cat.lesson("caregiver", "cg05", language)["variants"] = {"12-17": "teen only"}
    cat.lesson("caregiver", "cg05")["bands"] = ["12-17"]
    return load_catalog(cat.write())


def test_a_three_year_old_and_a_fourteen_year_old_are_spoken_about_in_turn(varied):
    bands = household_bands([3, 14])
    chosen = {n: varied.band_for("caregiver", n - 1, bands) for n in (2, 4, 6, 8)}
    assert chosen == {2: "0-5", 4: "12-17", 6: "0-5", 8: "12-17"}
    assert varied.band_for("caregiver", 0, bands) == "0-5"  # no variants: the default text


def test_three_children_each_get_their_turn_within_three_varied_lessons(varied):
    bands = household_bands([1, 8, 15])
    chosen = [varied.band_for("caregiver", n - 1, bands) for n in (2, 4, 6, 8)]
    assert chosen == ["0-5", "6-11", "12-17", "0-5"]


def test_one_child_always_hears_about_themselves(varied):
    others = [n for n in range(10) if n != 4]  # lesson 5 is not meant for them at all
    assert {varied.band_for("caregiver", n, ("6-11",)) for n in others} == {"6-11"}
    assert varied.band_for("caregiver", 4, ("6-11",)) is None
    assert varied.band_for("caregiver", 3, ()) is None


def test_a_teen_only_lesson_reaches_only_households_with_a_teenager(varied):
    teen_lesson = varied.lesson("caregiver", 4, "id")
    assert teen_lesson.bands == ("12-17",)
    assert reaches(teen_lesson, household_bands([3, 14]))
    assert not reaches(teen_lesson, household_bands([3, 7]))
    assert not reaches(teen_lesson, ())
    assert varied.band_for("caregiver", 4, household_bands([3, 14])) == "12-17"
    assert reaches(varied.lesson("caregiver", 0, "id"), ())  # unrestricted lessons reach all
