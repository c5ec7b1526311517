"""Lesson content: the shipped lessons pass the checker, the checker catches each kind of
problem, rendering picks the right text and fills placeholders, and the CLI says so."""

import re

import pytest

from messages.gsm import segment_info
from messages.lessons import (
    AGE_BANDS,
    LANGUAGES,
    MIN_LESSONS,
    MODULE_LESSONS,
    TRACKS,
    ContentError,
    age_band,
    check_content,
    load_catalog,
)
from tests.content_catalog import TRY_THIS, cat, pack

__all__ = ["cat"]


def ntb(*entries, scope="province", name="Nusa Tenggara Barat", language="id"):
    """A pack file overriding lessons."""
    return pack(scope, name, language, override=list(entries))


# ---------------------------------------------------------------- the shipped content


def test_shipped_content_has_no_problems():
    assert check_content() == []


def test_shipped_content_has_enough_lessons_in_every_track_and_language():
    catalog = load_catalog()
    for track in TRACKS:
        for language in LANGUAGES:
            assert len(catalog.lessons(track, language)) >= MIN_LESSONS[track]


def test_caregiver_advice_differs_by_age_band_on_at_least_eight_lessons():
    for language in LANGUAGES:
        lessons = load_catalog().lessons("caregiver", language)
        banded = [x.id for x in lessons if set(x.variants) == set(AGE_BANDS)]
        assert len(banded) >= 8, language


def test_every_facilitator_session_has_a_caregiver_summary():
    for language in LANGUAGES:
        for lesson in load_catalog().lessons("facilitator", language):
            assert lesson.summary and lesson.summary != lesson.text


def test_most_lessons_end_with_a_small_activity():
    for track in ("caregiver", "migrant", "adolescent"):
        for language in LANGUAGES:
            texts = [x.text for x in load_catalog().lessons(track, language)]
            with_activity = [t for t in texts if TRY_THIS[language] in t]
            assert len(with_activity) >= 0.8 * len(texts), (track, language)


def test_shipped_content_covers_the_programme_topics():
    topics = {x.topic for t in TRACKS for x in load_catalog().lessons(t, "en")}
    required = {"praise", "routines", "play", "talking", "feelings", "discipline"}
    required |= {"missing-parent", "staying-close", "self-care", "school", "online-safety"}
    required |= {"remittances", "help"}
    assert required <= topics


def texts_of(lesson):
    return [lesson.text, *lesson.variants.values(), lesson.summary or ""]


def test_the_only_phone_number_in_the_content_is_sapa_129():
    numbers = set()
    for track in TRACKS:
        for language in LANGUAGES:
            for lesson in load_catalog().lessons(track, language):
                for text in texts_of(lesson):
                    numbers |= set(re.findall(r"\d[\d-]{5,}\d", text))
    assert numbers == {"08111-129-129"}


def test_shipped_lessons_are_not_personalised_so_they_go_out_in_bulk():
    """One body per lesson, band and place: a whole cohort shares one gateway request."""
    for track in TRACKS:
        for language in LANGUAGES:
            for lesson in load_catalog().lessons(track, language):
                assert not any("{name}" in text for text in texts_of(lesson)), lesson.id


# ---------------------------------------------------------------- the checker


def test_generated_catalog_is_clean(cat):
    assert cat.problems() == []


def test_curly_quote_is_reported_with_its_replacement(cat):
    cat.lesson("caregiver", "cg03")["text"] = "Ini \u2019salah\u2019. Coba ini: ganti."
    assert cat.problems() == [
        "caregiver.id.toml cg03: character '\u2019' in text is not GSM-7; use \"'\""
    ]


def test_emoji_is_reported_for_removal_in_a_variant(cat):
    cat.lesson("caregiver", "cg02", "en")["variants"] = {"0-5": "Well done 😀"}
    cat.lesson("caregiver", "cg02", "id")["variants"] = {"0-5": "Pintar"}
    problems = cat.problems()
    assert len(problems) == 1
    assert "cg02" in problems[0] and "variant 0-5" in problems[0] and "remove it" in problems[0]


@pytest.mark.parametrize(
    ("text", "too_long"),
    [
        ("a" * 300, False),  # with "Asuh: " in front: 306 septets, 2 SMS
        ("a" * 301, True),
        ("a" * 285 + "{name}", False),  # 285 + 15 at the longest name = 300
        ("a" * 286 + "{name}", True),
        ("a" * 268 + "{village}{ussd}", False),  # 268 + 20 + 12 = 300
        ("a" * 269 + "{village}{ussd}", True),
        ("a" * 220 + "{uptd_ppa}{puskesmas}{hotline}", False),  # 220 + 30 + 30 + 20 = 300
        ("a" * 221 + "{uptd_ppa}{puskesmas}{hotline}", True),
        ("a" * 298 + "[", False),  # the bracket counts as 2 septets
        ("a" * 299 + "[", True),
        ("€" * 149, False),
        ("€" * 150, True),  # 300 septets, but no part may split an escape pair: 3 SMS
    ],
)
def test_length_limit_at_worst_case_placeholder_lengths(cat, text, too_long):
    cat.lesson("migrant", "mg04")["text"] = text
    problems = cat.problems()
    assert bool(problems) == too_long
    assert all("mg04" in p and "septets" in p for p in problems)


def test_summary_and_override_texts_are_length_checked_too(cat):
    cat.lesson("facilitator", "fs02", "en")["summary"] = "b" * 301
    cat.packs["x.id.toml"] = ntb({"lesson": "cg05", "text": "c" * 301})
    problems = cat.problems()
    assert len(problems) == 2
    assert "facilitator.en.toml fs02: summary is 301 septets" in problems[0]
    assert "packs/x.id.toml cg05: override text is 301 septets" in problems[1]


def test_missing_language_file(cat):
    del cat.data[("adolescent", "en")]
    assert cat.problems() == ["adolescent.en.toml: missing"]


def test_lesson_missing_in_one_language(cat):
    cat.data[("migrant", "en")] = [x for x in cat.data[("migrant", "en")] if x["id"] != "mg07"]
    problems = cat.problems()
    assert "migrant.en.toml mg07: missing (present in id)" in problems


def test_lessons_in_a_different_order(cat):
    lessons = cat.data[("adolescent", "en")]
    lessons[0], lessons[1] = lessons[1], lessons[0]
    assert cat.problems() == ["adolescent.en.toml: lessons not in the same order as in id"]


def test_duplicate_ids_across_tracks(cat):
    for language in LANGUAGES:
        cat.lesson("migrant", "mg01", language)["id"] = "cg01"
    problems = cat.problems()
    assert len(problems) == 2
    assert all("cg01: duplicate id" in p and "migrant" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Halo {nama}, hai.", "broken placeholder {nama}"),
        ("Halo { name }.", "broken placeholder { name }"),
        ("Halo {name.", "unbalanced brace"),
        ("Halo name}.", "unbalanced brace"),
    ],
)
def test_broken_placeholders(cat, text, expected):
    cat.lesson("caregiver", "cg10")["text"] = text
    problems = cat.problems()
    assert len(problems) == 1 and "cg10" in problems[0] and expected in problems[0]


def test_known_placeholders_are_fine(cat):
    cat.lesson("caregiver", "cg10")["text"] = "Halo {name} dari {village}, tekan {ussd}."
    assert cat.problems() == []


def test_unknown_band(cat):
    for language in LANGUAGES:
        cat.lesson("caregiver", "cg04", language)["variants"] = {"0-4": "Untuk balita."}
    problems = cat.problems()
    assert len(problems) == 2
    assert all("cg04: unknown band '0-4'" in p for p in problems)


def test_variant_bands_must_match_across_languages(cat):
    cat.lesson("caregiver", "cg04", "id")["variants"] = {"6-11": "Untuk anak sekolah."}
    assert cat.problems() == ["caregiver.en.toml cg04: age-band variants differ from id"]


def test_title_length(cat):
    cat.lesson("caregiver", "cg01")["title"] = "t" * 30
    assert cat.problems() == []
    cat.lesson("caregiver", "cg01")["title"] = "t" * 31
    assert cat.problems() == ["caregiver.id.toml cg01: title is 31 characters; at most 30"]


def test_fewer_lessons_than_required(cat):
    for language in LANGUAGES:
        cat.data[("caregiver", language)].pop()
    assert cat.problems() == [
        "caregiver.id.toml: 35 lessons; the caregiver track needs at least 36"
    ]


@pytest.mark.parametrize("track", TRACKS)
def test_the_complete_modules_need_their_full_count(cat, track):
    """caregivers 36, adolescents 16, migrants 18, facilitators 16, in each language."""
    for language in LANGUAGES:
        cat.data[(track, language)].pop()
    need = MODULE_LESSONS[track]
    assert cat.problems() == [
        f"{track}.id.toml: {need - 1} lessons; the {track} track needs at least {need}"
    ]
    assert MODULE_LESSONS == {"caregiver": 36, "adolescent": 16, "migrant": 18, "facilitator": 16}


def test_facilitator_lesson_without_summary(cat):
    del cat.lesson("facilitator", "fs03", "en")["summary"]
    assert cat.problems() == ["facilitator.en.toml fs03: summary is empty"]


def test_override_naming_an_unknown_lesson_or_band(cat):
    cat.packs["ntb.id.toml"] = ntb(
        {"lesson": "zz99", "text": "Teks lokal."},
        {"lesson": "cg05", "band": "teen", "text": "Teks lokal."},
    )
    problems = cat.problems()
    assert len(problems) == 2
    assert "packs/ntb.id.toml zz99: override names unknown lesson 'zz99'" in problems[0]
    assert "packs/ntb.id.toml cg05: unknown band 'teen'" in problems[1]


def test_pack_file_with_bad_scope(cat):
    cat.packs["x.id.toml"] = ntb({"lesson": "cg05", "text": "Teks."}, scope="district")
    assert cat.problems() == ["packs/x.id.toml: scope must be one of province, village"]


def test_file_that_is_not_toml(cat):
    cat.write()
    (cat.root / "caregiver.id.toml").write_text('track = "caregiver\n', encoding="utf-8")
    problems = check_content(cat.root)
    assert problems[0].startswith("caregiver.id.toml: cannot be read as TOML")
    assert "caregiver.id.toml: missing" in problems


def test_file_named_differently_from_its_track(cat):
    cat.write()
    (cat.root / "caregiver.en.toml").rename(cat.root / "carer.en.toml")
    assert check_content(cat.root) == ["carer.en.toml: should be named caregiver.en.toml"]


# ---------------------------------------------------------------- loading and rendering


def test_age_band_boundaries():
    assert [age_band(a) for a in (0, 5, 6, 11, 12, 17)] == [
        "0-5",
        "0-5",
        "6-11",
        "6-11",
        "12-17",
        "12-17",
    ]
    assert age_band(18) is None
    with pytest.raises(ValueError):
        age_band(-1)


@pytest.fixture
def rendered(cat):
    """A catalog where cg05 has a default, a band variant, province and village overrides."""
    for language in LANGUAGES:
        lesson = cat.lesson("caregiver", "cg05", language)
        lesson["text"] = f"default {language}"
        lesson["variants"] = {"0-5": f"band 0-5 {language}", "6-11": f"band 6-11 {language}"}
    cat.packs["ntb.id.toml"] = ntb(
        {"lesson": "cg05", "text": "province"},
        {"lesson": "cg05", "band": "12-17", "text": "province 12-17"},
    )
    cat.packs["desa.id.toml"] = ntb(
        {"lesson": "cg05", "band": "0-5", "text": "village 0-5"}, scope="village", name="Sukamaju"
    )
    return load_catalog(cat.write())


@pytest.mark.parametrize(
    ("band", "village", "province", "expected"),
    [
        (None, None, None, "default id"),
        ("12-17", None, None, "default id"),
        ("0-5", None, None, "band 0-5 id"),
        ("6-11", None, None, "band 6-11 id"),
        ("6-11", None, "Nusa Tenggara Barat", "province"),
        ("12-17", None, "Nusa Tenggara Barat", "province 12-17"),
        ("12-17", None, "  nusa tenggara   BARAT ", "province 12-17"),
        ("0-5", "Sukamaju", "Nusa Tenggara Barat", "village 0-5"),
        ("6-11", "Sukamaju", "Nusa Tenggara Barat", "province"),
        ("6-11", "Sukamaju", "Jawa Timur", "band 6-11 id"),
        ("0-5", "Sukamaju", None, "village 0-5"),
    ],
)
def test_render_precedence_village_province_band_default(
    rendered, band, village, province, expected
):
    body = rendered.render("caregiver", 4, "id", band=band, village=village, province=province)
    assert body == expected


def test_overrides_apply_only_in_their_language(rendered):
    body = rendered.render("caregiver", 4, "en", band="6-11", province="Nusa Tenggara Barat")
    assert body == "band 6-11 en"


def test_placeholders_are_filled(cat):
    cat.lesson("caregiver", "cg01")["text"] = "Halo {name}, warga {village}. Tekan {ussd}."
    catalog = load_catalog(cat.write())
    body = catalog.render("caregiver", 0, "id", village="Sukamaju", name="Siti", ussd="*123#")
    assert body == "Halo Siti, warga Sukamaju. Tekan *123#."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Halo {name}, apa kabar {name} ?", "Halo, apa kabar?"),
        ("{name}, coba ini.", "coba ini."),
        ("Kelompok Asuh {village}: hadir.", "Kelompok Asuh: hadir."),
        ("Di {village} ada {ussd} layanan.", "Di ada layanan."),
        ("Spasi  asli  tetap , {name}.", "Spasi  asli  tetap ,."),
    ],
)
def test_missing_values_vanish_cleanly(cat, text, expected):
    cat.lesson("caregiver", "cg01")["text"] = text
    catalog = load_catalog(cat.write())
    assert catalog.render("caregiver", 0, "id", name=" 😀 ") == expected


def test_override_listed_twice_for_the_same_band(cat):
    cat.packs["x.id.toml"] = ntb({"lesson": "cg05", "text": "A."}, {"lesson": "cg05", "text": "B."})
    assert cat.problems() == ["packs/x.id.toml cg05: overridden twice for band any"]


def test_free_text_values_are_made_gsm_safe_and_not_expanded(cat):
    cat.lesson("caregiver", "cg01")["text"] = "Halo {name}, tekan {ussd}."
    catalog = load_catalog(cat.write())
    body = catalog.render("caregiver", 0, "id", name="Dewi 😀 “Ayu”", ussd="*1#")
    assert body == 'Halo Dewi "Ayu", tekan *1#.'
    assert catalog.render("caregiver", 0, "id", name="{ussd}", ussd="*1#") == (
        "Halo {ussd}, tekan *1#."
    )


def test_facilitator_summary_is_rendered_for_a_village(cat):
    catalog = load_catalog(cat.write())
    assert catalog.render_summary(1, "en", village="Sukamaju") == "Session 2 summary for Sukamaju."


def test_catalog_positions_counts_and_caching(cat):
    path = cat.write()
    catalog = load_catalog(path)
    assert catalog is load_catalog(path)
    assert catalog.count("migrant") == 18
    assert catalog.lesson("migrant", 17, "en").id == "mg18"
    assert catalog.lesson("migrant", 0, "id").position == 0
    with pytest.raises(IndexError):
        catalog.lesson("migrant", 18, "id")
    assert [x.language for x in catalog.lessons("migrant", "jv")] == ["id"] * 18  # falls back
    assert catalog.lessons("migrant", "xx") == catalog.lessons("migrant", "id")  # unknown code
    with pytest.raises(KeyError):
        catalog.lessons("cooking", "id")


def test_unreadable_catalog_raises(cat):
    cat.write()
    (cat.root / "migrant.id.toml").write_text("[[lesson]\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_catalog(cat.root)


def test_shipped_ntb_override_replaces_the_local_services_lesson():
    catalog = load_catalog()
    position = next(x.position for x in catalog.lessons("caregiver", "id") if x.id == "cg05")
    default = catalog.render("caregiver", position, "id", band="6-11")
    local = catalog.render("caregiver", position, "id", band="6-11", province="Nusa Tenggara Barat")
    teen = catalog.render("caregiver", position, "id", band="12-17", province="Nusa Tenggara Barat")
    assert "NTB" in local and "NTB" not in default and local != teen
    assert all(segment_info(t).segments <= 2 for t in (default, local, teen))


def test_every_shipped_lesson_renders_to_at_most_two_gsm7_sms():
    catalog = load_catalog()
    long_values = {"name": "N" * 15, "village": "V" * 20, "ussd": "*123*4567*89#"[:12]}
    long_values |= {"uptd_ppa": "U" * 30, "puskesmas": "P" * 30, "hotline": "H" * 20}
    for track in TRACKS:
        for language in LANGUAGES:
            for position in range(catalog.count(track)):
                for band in (None, *AGE_BANDS):
                    body = catalog.render(track, position, language, band=band, **long_values)
                    info = segment_info(body)
                    assert info.encoding == "GSM-7" and info.segments <= 2, (track, position)


# ---------------------------------------------------------------- the CLI


def test_cli_check_passes_on_the_shipped_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    ok = next(line for line in result.output.splitlines() if line.startswith("OK:"))
    assert re.match(r"OK: \d+ lessons in 4 tracks, \d+ languages, \d+ regional packs?", ok), ok
    lessons = int(ok.split()[1])
    assert lessons == sum(load_catalog().count(t) for t in TRACKS) >= sum(MIN_LESSONS.values())


def test_cli_check_fails_on_a_bad_catalog(cat, runner):
    cat.lesson("adolescent", "ad02")["text"] = "Kamu hebat \u2013 sungguh."
    result = runner.invoke(args=["content", "check", "--path", str(cat.write())])
    assert result.exit_code == 1
    assert "adolescent.id.toml ad02: character '\u2013' in text is not GSM-7" in result.output
    assert "OK" not in result.output


def test_a_lesson_id_that_is_a_bare_number_is_refused(cat):
    for language in LANGUAGES:
        cat.lesson("migrant", "mg01", language)["id"] = "7"
    problems = cat.problems()
    assert len(problems) == 2
    assert all(" 7: an id needs a letter, not only digits" in p for p in problems)
