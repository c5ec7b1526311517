"""The keyword grammar on its own: fields recognised by shape, in any order, in both languages."""

import pytest

from messages.grammar import Kind, name_and_relationship, parse, split_words
from messages.keywords import KEYWORDS, Audience, DuplicateKeyword, Keyword, Registry
from messages.safeguarding import find_words, word_list
from service.states import Relationship


def kinds(text):
    return [(t.text, t.kind, t.value) for t in parse(text).tokens]


@pytest.mark.parametrize(
    "word, kind, value",
    [
        # phone numbers, however a villager writes them
        ("081234567890", Kind.PHONE, "+6281234567890"),
        ("0812-3456-7890", Kind.PHONE, "+6281234567890"),
        ("0812.3456.7890", Kind.PHONE, "+6281234567890"),
        ("6281234567890", Kind.PHONE, "+6281234567890"),
        ("+6281234567890", Kind.PHONE, "+6281234567890"),
        ("+85291234567", Kind.PHONE, "+85291234567"),
        ("0812345", Kind.BAD_PHONE, None),
        ("08123456789012345", Kind.BAD_PHONE, None),
        # household codes (the check digit is the handler's business)
        ("123459", Kind.CODE, "123459"),
        ("123456", Kind.CODE, "123456"),
        ("12345678", Kind.CODE, "12345678"),
        # birth years and year-months
        ("2016", Kind.YEAR, 2016),
        ("2019-03", Kind.YEAR_MONTH, (2019, 3)),
        ("03/2019", Kind.YEAR_MONTH, (2019, 3)),
        ("3/2019", Kind.YEAR_MONTH, (2019, 3)),
        ("2019/3", Kind.YEAR_MONTH, (2019, 3)),
        ("2019-13", Kind.YEAR_MONTH, None),
        # dates: day first, or ISO
        ("5/12", Kind.DATE, (5, 12, None)),
        ("05-12-2026", Kind.DATE, (5, 12, 2026)),
        ("5/12/26", Kind.DATE, (5, 12, 2026)),
        ("2026-12-05", Kind.DATE, (5, 12, 2026)),
        ("31/2", Kind.DATE, None),
        ("29/2", Kind.DATE, (29, 2, None)),
        ("30-02-2026", Kind.DATE, None),
        # times
        ("15:00", Kind.TIME, (15, 0)),
        ("15.00", Kind.TIME, (15, 0)),
        ("7.30", Kind.TIME, (7, 30)),
        ("24:00", Kind.WORD, "24:00"),
        # numbers and words
        ("12", Kind.NUMBER, 12),
        ("12345", Kind.NUMBER, 12345),
        ("Sumini", Kind.WORD, "Sumini"),
    ],
)
def test_each_field_is_recognised_by_its_shape(word, kind, value):
    [(text, found_kind, found_value)] = kinds(f"X {word}")
    assert (found_kind, found_value) == (kind, value)


@pytest.mark.parametrize(
    "word, relationship",
    [
        ("ibu", Relationship.MOTHER),
        ("Mother", Relationship.MOTHER),
        ("mamak", Relationship.MOTHER),
        ("ayah", Relationship.FATHER),
        ("bapak", Relationship.FATHER),
        ("father", Relationship.FATHER),
        ("nenek", Relationship.GRANDMOTHER),
        ("mbah", Relationship.GRANDMOTHER),
        ("GRANDMOTHER", Relationship.GRANDMOTHER),
        ("grandma", Relationship.GRANDMOTHER),
        ("kakek", Relationship.GRANDFATHER),
        ("grandfather", Relationship.GRANDFATHER),
        ("bibi", Relationship.AUNT),
        ("bude", Relationship.AUNT),
        ("tante", Relationship.AUNT),
        ("aunt", Relationship.AUNT),
        ("paman", Relationship.UNCLE),
        ("pakde", Relationship.UNCLE),
        ("om", Relationship.UNCLE),
        ("uncle", Relationship.UNCLE),
        ("kakak", Relationship.SIBLING),
        ("sister", Relationship.SIBLING),
        ("lainnya", Relationship.OTHER),
        ("other", Relationship.OTHER),
    ],
)
def test_relationship_words_in_both_languages_and_village_forms(word, relationship):
    [(_text, kind, value)] = kinds(f"DAFTAR {word}")
    assert (kind, value) == (Kind.RELATIONSHIP, relationship)


@pytest.mark.parametrize(
    "text, name, relationship",
    [
        ("daftar mbah sumini 081234567890 nenek 2016 2019-03", "Mbah Sumini", "grandmother"),
        ("REG Sumini 0812-3456-7890 grandmother 03/2019", "Sumini", "grandmother"),
        ("DAFTAR 2016 nenek 081234567890 Sumini", "Sumini", "grandmother"),
        ("DAFTAR Mbah Sumini 081234567890 2016", "Mbah Sumini", "grandmother"),
        ("DAFTAR Ibu Siti 081234567890 2016", "Ibu Siti", None),
        ("DAFTAR Ibu Siti 081234567890 bibi 2016", "Ibu Siti", "aunt"),
        ("DAFTAR Pak Darto kakek 081234567890 2012", "Pak Darto", "grandfather"),
        ("REG Maria Tefa mother 081234567890 2017", "Maria Tefa", "mother"),
        ("DAFTAR ibu 081234567890 2016", "", "mother"),
    ],
)
def test_name_and_relationship_from_the_remaining_words(text, name, relationship):
    assert name_and_relationship(parse(text)) == (name, relationship)


@pytest.mark.parametrize(
    "text, phone",
    [
        ("DAFTAR Sumini 0812 3456 7890 nenek 2016", "+6281234567890"),
        ("DAFTAR Sumini +62 812 3456 7890 nenek 2016", "+6281234567890"),
        ("PMI 123459 +852 9123 4567", "+85291234567"),
    ],
)
def test_a_phone_number_typed_in_groups_is_one_number(text, phone):
    assert parse(text).values(Kind.PHONE) == [phone]


def test_the_keyword_is_the_first_word_in_any_case_and_punctuation_is_ignored():
    parsed = parse("  daftar, Sumini; 081234567890. nenek!")
    assert parsed.keyword == "DAFTAR"
    assert [t.text for t in parsed.tokens] == ["Sumini", "081234567890", "nenek"]
    assert parse("").keyword is None and parse("   ").keyword is None


def test_look_alike_dashes_from_phones_are_read_as_dashes():
    assert parse("X 2019\u201303").values(Kind.YEAR_MONTH) == [(2019, 3)]
    assert split_words("a\u00a0b") == ["a", "b"]


def test_the_registry_refuses_a_word_claimed_twice():
    registry = Registry([Keyword("DAFTAR", "REG", "m:f")])
    with pytest.raises(DuplicateKeyword):
        registry.add(Keyword("REG", None, "m:g"))
    with pytest.raises(DuplicateKeyword):
        registry.add(Keyword("DAFTAR", "REGISTER", "m:g"))


@pytest.mark.parametrize(
    "typed, suggestion",
    [
        ("DAFTR", "DAFTAR"),
        ("daftra", "DAFTAR"),
        ("PERTEMUN", "PERTEMUAN"),
        ("HADR", "HADIR"),
        ("CHILDD", "CHILD"),
        ("MEETT", "MEET"),
        ("XYZZY", None),
    ],
)
def test_the_nearest_keyword_is_suggested_for_a_typo(typed, suggestion):
    assert KEYWORDS.suggest(typed) == suggestion


def test_strangers_are_only_suggested_keywords_they_may_use():
    assert KEYWORDS.suggest("DAFTR", (Audience.ANYONE,)) is None
    assert KEYWORDS.suggest("STPO", (Audience.ANYONE,)) == "STOP"


def test_each_keyword_word_says_which_language_was_typed():
    assert KEYWORDS.lookup("daftar")[1] == "id"
    assert KEYWORDS.lookup("REG")[1] == "en"
    assert KEYWORDS.lookup("nonsense") == (None, None)


@pytest.mark.parametrize(
    "text, found",
    [
        ("anak saya dipukul", ["dipukul"]),
        ("DIPUKUL!", ["dipukul"]),
        ("there was ABUSE at home", ["abuse"]),
        ("ada kekerasan, tolong", ["kekerasan"]),
        ("PERTEMUAN 5/12 pukul 15.00 balai", []),  # "pukul" before a time is "o'clock"
        ("dia pukul anak", ["pukul"]),
        ("kekerasanxyz abused", ["abused"]),  # whole words only
        ("DAFTAR Sumini 081234567890 nenek 2016", []),
    ],
)
def test_safeguarding_words_match_whole_words_case_insensitively(text, found):
    words = word_list("kekerasan,dipukul,pukul,abuse,abused")
    assert find_words(text, words) == found


def test_every_keyword_has_its_format_and_example_in_both_languages():
    from messages.lessons import LANGUAGES
    from messages.replies import CATALOGS, reply_text
    from service.i18n import missing_translations

    assert missing_translations(CATALOGS) == []
    for keyword in KEYWORDS:
        for language in LANGUAGES:  # the source languages; translations may fall back
            for kind in ("format", "example"):
                key = f"help.{kind}.{keyword.key}"
                assert reply_text(key, language) != key, key
            example = reply_text(f"help.example.{keyword.key}", language)
            assert KEYWORDS.lookup(example.split()[0])[0] is keyword
