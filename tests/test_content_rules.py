"""The content rules of the complete modules: sources, age bands, session guides, reviews, and
the wording rules (one name for the household code, faith-neutral base lessons)."""

from pathlib import Path

import pytest

from messages.lesson_rules import GUIDE_WORDS
from messages.lessons import LANGUAGES, load_catalog
from tests.content_catalog import cat, guide

__all__ = ["cat"]
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- sources


def test_an_indonesian_lesson_without_sources_is_reported(cat):
    del cat.lesson("caregiver", "cg03")["sources"]
    assert cat.problems() == [
        'caregiver.id.toml cg03: no sources; add sources = ["<organisation>, '
        '<publication> (<year>)"]'
    ]


def test_a_blank_source_is_reported(cat):
    cat.lesson("migrant", "mg02")["sources"] = ["UNICEF, Parenting tips", " "]
    assert cat.problems() == ["migrant.id.toml mg02: a source is blank"]


def test_other_languages_inherit_the_indonesian_sources(cat):
    catalog = load_catalog(cat.write())
    english = catalog.lesson("caregiver", 2, "en")
    assert "sources" not in cat.lesson("caregiver", "cg03", "en")
    assert english.sources == ("WHO, Guidelines on parenting interventions (2022)",)


# ---------------------------------------------------------------- bands


def test_bands_are_loaded_and_inherited_by_other_languages(cat):
    cat.lesson("caregiver", "cg07")["bands"] = ["12-17"]
    catalog = load_catalog(cat.write())
    assert catalog.lesson("caregiver", 6, "id").bands == ("12-17",)
    assert catalog.lesson("caregiver", 6, "en").bands == ("12-17",)
    assert cat.problems() == []


def test_unknown_or_repeated_bands_are_reported(cat):
    cat.lesson("caregiver", "cg07")["bands"] = ["teen", "6-11", "6-11"]
    problems = cat.problems()
    assert problems == [
        "caregiver.en.toml cg07: bands has unknown band 'teen'; use one of 0-5, 6-11, 12-17",
        "caregiver.en.toml cg07: bands lists a band twice",
        "caregiver.id.toml cg07: bands has unknown band 'teen'; use one of 0-5, 6-11, 12-17",
        "caregiver.id.toml cg07: bands lists a band twice",
    ]


def test_bands_that_differ_between_languages_are_reported(cat):
    cat.lesson("caregiver", "cg07", "id")["bands"] = ["12-17"]
    cat.lesson("caregiver", "cg07", "en")["bands"] = ["6-11"]
    assert cat.problems() == ["caregiver.en.toml cg07: bands differ from id"]


# ---------------------------------------------------------------- session guides


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_facilitator_lesson_needs_a_session_guide(cat, language):
    del cat.lesson("facilitator", "fs04", language)["guide"]
    assert cat.problems() == [
        f"facilitator.{language}.toml fs04: no session guide; add [lesson.guide] "
        "(aim, minutes, steps, ...)"
    ]


def test_the_guide_is_loaded_with_all_its_parts(cat):
    catalog = load_catalog(cat.write())
    loaded = catalog.lesson("facilitator", 0, "en").guide
    assert loaded.aim == "Caregivers leave with one thing to try."
    assert loaded.minutes == 90 and len(loaded.steps) == 4 and len(loaded.questions) == 3
    assert loaded.disclosure.startswith("Thank them")


@pytest.mark.parametrize(
    ("shape", "problem"),
    [
        ({"steps": 3}, "guide has 3 steps; write 4 to 8, none blank"),
        ({"steps": 9}, "guide has 9 steps; write 4 to 8, none blank"),
        ({"questions": 2}, "guide has 2 questions; write 3 to 5, none blank"),
        ({"questions": 6}, "guide has 6 questions; write 3 to 5, none blank"),
    ],
)
def test_guide_step_and_question_counts(cat, shape, problem):
    cat.lesson("facilitator", "fs02")["guide"] = guide(**shape)
    assert cat.problems() == [f"facilitator.id.toml fs02: {problem}"]


def test_a_guide_must_fit_one_printed_page(cat):
    # aim 7 + disclosure 13 + 8 steps and 5 questions of (2 + n) words each
    fits = guide(steps=8, questions=5, words_each=(GUIDE_WORDS - 20) // 13 - 2)
    cat.lesson("facilitator", "fs02")["guide"] = fits
    assert cat.problems() == []
    cat.lesson("facilitator", "fs02")["guide"] = guide(steps=8, questions=5, words_each=30)
    assert cat.problems() == [
        "facilitator.id.toml fs02: guide is 436 words; at most 350 to print on one page"
    ]


def test_a_guide_without_aim_disclosure_or_sensible_minutes(cat):
    broken = guide()
    broken |= {"aim": "", "disclosure": " ", "minutes": 5}
    cat.lesson("facilitator", "fs02")["guide"] = broken
    assert cat.problems() == [
        "facilitator.id.toml fs02: guide has no aim",
        "facilitator.id.toml fs02: guide has no disclosure",
        "facilitator.id.toml fs02: guide minutes must be a whole number from 15 to 240",
    ]


# ---------------------------------------------------------------- reviews


def test_a_lesson_review_is_loaded_and_a_file_review_inherited(cat):
    cat.lesson("caregiver", "cg01", "en")["review"] = {
        "status": "reviewed",
        "by": "Dewi Lestari",
        "on": "2026-11-02",
    }
    catalog = load_catalog(cat.write())
    reviewed = catalog.lesson("caregiver", 0, "en").review
    assert (reviewed.status, reviewed.by, reviewed.on) == ("reviewed", "Dewi Lestari", "2026-11-02")
    assert catalog.lesson("caregiver", 1, "en").review is None


@pytest.mark.parametrize(
    ("review", "problems"),
    [
        ({"status": "draft", "by": "", "on": ""}, []),
        ({"status": "final"}, ["review status 'final'; use draft or reviewed"]),
        (
            {"status": "reviewed", "by": "", "on": "2026-11-02"},
            ["reviewed, but by whom? set review by"],
        ),
        (
            {"status": "reviewed", "by": "Dewi", "on": "2026-02-30"},
            ["reviewed, but on '2026-02-30'; set review on as YYYY-MM-DD"],
        ),
    ],
)
def test_a_review_names_who_and_when(cat, review, problems):
    cat.lesson("adolescent", "ad03", "en")["review"] = review
    assert cat.problems() == [f"adolescent.en.toml ad03: {p}" for p in problems]


# ---------------------------------------------------------------- wording


def test_indonesian_texts_call_the_household_code_kode_keluarga(cat):
    cat.lesson("caregiver", "cg02")["text"] = "Simpan Kode Rumah  Tangga Anda. Coba ini: tulis."
    cat.lesson("caregiver", "cg02", "en")["text"] = "Keep the kode rumah tangga. Try this."
    assert cat.problems() == [
        'caregiver.id.toml cg02: text says "kode rumah tangga"; write "kode keluarga"'
    ]


def test_base_lessons_are_faith_neutral(cat):
    cat.lesson("caregiver", "cg04")["variants"] = {"6-11": "Belajar sesudah Magrib. Coba ini."}
    cat.lesson("caregiver", "cg04", "en")["variants"] = {"6-11": "Study after supper. Try this."}
    problems = cat.problems()
    assert problems == [
        'caregiver.id.toml cg04: variant 6-11 says "magrib": base lessons are faith-neutral '
        '("ibadah", "sesudah makan malam", "hari raya"); put local framing in a regional pack'
    ]


@pytest.mark.parametrize(
    "catalog", ["menus/catalogs/id.po", "messages/replies/id.po", "messages/notices/id.po"]
)
def test_indonesian_menus_replies_and_notices_say_keluarga_too(catalog):
    text = (ROOT / catalog).read_text(encoding="utf-8").casefold()
    assert "rumah tangga" not in text
    assert "kirim sms start" not in text  # the Indonesian keyword is MULAI


# ---------------------------------------------------------------- translations


def javanese(cat, ids=("cg01", "cg02"), review=None):
    """A Javanese caregiver file translating some Indonesian lessons."""
    known = {x["id"]: x for x in cat.data[("caregiver", "id")]}
    lessons = [dict(known.get(i, {"title": i, "topic": i}), id=i, text=f"Jawi {i}.") for i in ids]
    cat.data[("caregiver", "jv")] = lessons
    draft = {"status": "draft", "by": "", "on": ""}
    cat.headers[("caregiver", "jv")] = {"review": draft if review is None else review}


def test_a_translation_may_cover_part_of_a_track_and_falls_back_to_indonesian(cat):
    javanese(cat)
    assert cat.problems() == []
    catalog = load_catalog(cat.write())
    assert catalog.render("caregiver", 0, "jv") == "Jawi cg01."
    assert catalog.render("caregiver", 2, "jv") == catalog.render("caregiver", 2, "id")


@pytest.mark.parametrize(
    ("ids", "review", "problem"),
    [
        (("cg01", "zz01"), None, "caregiver.jv.toml zz01: not a lesson of caregiver.id.toml"),
        (("cg02", "cg01"), None, "caregiver.jv.toml: lessons not in the same order as in id"),
        (
            ("cg01",),
            {"status": "reviewed", "by": "", "on": ""},
            "caregiver.jv.toml: reviewed, but by whom? name the reviewer",
        ),
    ],
)
def test_a_translation_follows_the_indonesian_track_and_says_who_reviewed_it(
    cat, ids, review, problem
):
    javanese(cat, ids, review)
    assert problem in cat.problems()


def test_a_translation_without_a_review_record_or_with_an_odd_code(cat):
    javanese(cat)
    del cat.headers[("caregiver", "jv")]
    assert cat.problems() == [
        'caregiver.jv.toml: no review status; set [review] status = "draft" until a named '
        "reviewer signs it off"
    ]
    cat.data[("caregiver", "javanese")] = cat.data.pop(("caregiver", "jv"))
    unknown = "caregiver.javanese.toml: unknown language 'javanese'; register it in"
    assert unknown + " service/languages.toml" in cat.problems()
