"""Regional packs: a province or village adds lessons of its own after a named lesson, replaces
texts, names its local services, and the content check holds every pack to the limits."""

import pytest

from messages.lessons import ContentError, Place, load_catalog
from service.models import db
from tests.content_catalog import cat, pack

__all__ = ["cat"]

NTT = "Nusa Tenggara Timur"


def own(lesson_id, after, track="caregiver", text="Teks NTT. Coba ini: satu hal.", **extra):
    """One [[lesson]] of a pack's own."""
    lesson = {
        "id": lesson_id,
        "track": track,
        "after": after,
        "title": f"Judul {lesson_id}",
        "topic": "local",
        "text": text,
        "sources": ["Kemenkes RI, Buku KIA (2023)"],
    }
    return lesson | extra


@pytest.fixture
def ntt(cat):
    """A province pack adding two lessons after cg02 and one village pack inside it."""
    cat.packs["ntt.id.toml"] = pack(
        "province",
        NTT,
        placeholders={"uptd_ppa": "UPTD PPA Prov NTT", "puskesmas": "puskesmas Kupang"},
        override=[{"lesson": "cg01", "text": "Mama/Bapa, hubungi {uptd_ppa}. Coba ini."}],
        lesson=[
            own("ntt-cg01", "cg02"),
            own("ntt-cg02", "cg02"),
            own("ntt-mg01", "mg18", "migrant"),
        ],
    )
    cat.packs["ntt.en.toml"] = pack(
        "province",
        NTT,
        "en",
        lesson=[
            own("ntt-cg01", "cg02", text="NTT text in English. Try this."),
            own("ntt-cg02", "cg02", text="Second NTT text. Try this."),
            own("ntt-mg01", "mg18", "migrant", text="Call home at 19.00 WITA. Try this."),
        ],
    )
    cat.packs["oelnasi.id.toml"] = pack(
        "village",
        "Oelnasi",
        placeholders={"puskesmas": "Puskesmas Oelnasi"},
        lesson=[own("oelnasi-cg01", "ntt-cg01", text="Di {puskesmas} ada kelas ibu. Coba ini.")],
    )
    return cat


# ---------------------------------------------------------------- the sequence a place receives


def test_pack_lessons_come_right_after_their_anchor_for_the_pack_s_places_only(ntt):
    catalog = load_catalog(ntt.write())
    ids = [x.id for x in catalog.sequence("caregiver", "id", "Oelnasi", NTT)]
    assert ids[:6] == ["cg01", "cg02", "ntt-cg01", "oelnasi-cg01", "ntt-cg02", "cg03"]
    assert [x.position for x in catalog.sequence("caregiver", "id", "Oelnasi", NTT)][:4] == [
        0,
        1,
        2,
        3,
    ]
    elsewhere = [x.id for x in catalog.sequence("caregiver", "id", "Kanigoro", "Jawa Timur")]
    assert elsewhere[:3] == ["cg01", "cg02", "cg03"]
    assert catalog.count("caregiver", "Oelnasi", NTT) == 39
    assert catalog.count("caregiver", "Camplong", NTT) == 38
    assert catalog.count("caregiver") == catalog.count("caregiver", "Kanigoro", "Jawa Timur") == 36
    assert catalog.count("migrant", "Camplong", NTT) == 19
    assert catalog.lesson("migrant", 18, "en", "Camplong", NTT).id == "ntt-mg01"


def test_a_pack_lesson_is_read_in_the_recipient_s_language_or_else_in_indonesian(ntt):
    catalog = load_catalog(ntt.write())
    english = catalog.render("caregiver", 2, "en", village="Camplong", province=NTT)
    assert english == "NTT text in English. Try this."
    village_only = catalog.render("caregiver", 3, "en", village="Oelnasi", province=NTT)
    assert village_only == "Di Puskesmas Oelnasi ada kelas ibu. Coba ini."


def test_overrides_and_placeholders_follow_the_place(ntt):
    catalog = load_catalog(ntt.write())
    body = catalog.render("caregiver", 0, "id", village="Camplong", province=NTT)
    assert body == "Mama/Bapa, hubungi UPTD PPA Prov NTT. Coba ini."
    assert catalog.render("caregiver", 0, "id", village="Kanigoro", province="Jawa Timur") == (
        "Halo, lesson 1 (id). Coba ini: one thing."
    )


def test_local_services_village_setting_then_village_pack_then_province_pack_then_defaults(ntt):
    catalog = load_catalog(ntt.write())
    assert catalog.local_services("Oelnasi", NTT) == {
        "uptd_ppa": "UPTD PPA Prov NTT",
        "puskesmas": "Puskesmas Oelnasi",
        "hotline": "SAPA 129",
    }
    own_values = {"uptd_ppa": "UPTD PPA Kab. Kupang", "puskesmas": " ", "hotline": None}
    assert catalog.local_services("Oelnasi", NTT, own_values, {"hotline": "TePSA 129"}) == {
        "uptd_ppa": "UPTD PPA Kab. Kupang",
        "puskesmas": "Puskesmas Oelnasi",
        "hotline": "TePSA 129",
    }
    assert catalog.local_services("Kanigoro", "Jawa Timur") == {
        "uptd_ppa": "UPTD PPA",
        "puskesmas": "puskesmas",
        "hotline": "SAPA 129",
    }


def test_the_place_s_zone_comes_from_its_most_local_pack(ntt):
    catalog = load_catalog(ntt.write())
    assert catalog.zone("Oelnasi", NTT) == "WITA"
    assert catalog.zone("Kanigoro", "Jawa Timur") is None


def test_the_shipped_packs_are_checked_clean(ntt):
    assert ntt.problems() == []


# ---------------------------------------------------------------- the check


def test_the_old_overrides_folder_is_refused_with_the_way_out(cat):
    root = cat.write()
    (root / "overrides").mkdir()
    (root / "overrides" / "ntb.id.toml").write_text('scope = "province"\n', encoding="utf-8")
    assert cat.problems()[0] == (
        "overrides/ntb.id.toml: regional overrides now live in packs/ "
        "(move it to packs/ntb.id.toml and add its zone)"
    )
    with pytest.raises(ContentError):
        load_catalog(root)


def test_a_pack_header_needs_scope_place_language_and_a_known_zone(cat):
    header, tables = pack(zone="CET")
    del header["name"]
    cat.packs["ntb.id.toml"] = (header, tables)
    cat.packs["ntb.jv.toml"] = pack(language="id")
    assert cat.problems() == [
        "packs/ntb.id.toml: missing name",
        "packs/ntb.id.toml: zone 'CET'; use one of WIB, WITA, WIT",
        "packs/ntb.jv.toml: should be named ntb.id.toml",
    ]


def test_a_pack_lesson_needs_a_prefixed_unique_id_and_an_anchor_in_its_track(cat):
    cat.packs["ntb.id.toml"] = pack(
        lesson=[
            own("cg05", "cg02"),
            own("lombok-1", "mg02"),
            own("ntb-ad01", "ad99", "adolescent"),
            own("ntb-x", "cg01", "elders"),
        ]
    )
    problems = cat.problems()
    assert problems == [
        "packs/ntb.id.toml cg05: id should start with the pack's name, ntb-",
        "packs/ntb.id.toml cg05: duplicate id (ids are unique across all lessons and packs)",
        "packs/ntb.id.toml lombok-1: id should start with the pack's name, ntb-",
        "packs/ntb.id.toml lombok-1: after = 'mg02' is not a lesson of the caregiver track",
        "packs/ntb.id.toml ntb-ad01: after = 'ad99' is not a lesson of the adolescent track",
        "packs/ntb.id.toml ntb-x: unknown track 'elders'; use one of caregiver, migrant, "
        "adolescent, facilitator",
        "packs/ntb.id.toml ntb-x: after = 'cg01' is not a lesson of the elders track",
    ]


def test_pack_lessons_are_held_to_every_lesson_rule(cat):
    too_long = own("ntb-cg01", "cg02", text="a" * 301)
    del too_long["sources"]
    facilitator = own("ntb-fs01", "fs02", "facilitator")
    cat.packs["ntb.id.toml"] = pack(lesson=[too_long, facilitator])
    assert cat.problems() == [
        "packs/ntb.id.toml ntb-cg01: text is 301 septets with placeholders at their longest "
        "(3 SMS after 'Asuh:'); the limit is 300 (2 SMS)",
        'packs/ntb.id.toml ntb-cg01: no sources; add sources = ["<organisation>, '
        '<publication> (<year>)"]',
        "packs/ntb.id.toml ntb-fs01: summary is empty",
        "packs/ntb.id.toml ntb-fs01: no session guide; add [lesson.guide] "
        "(aim, minutes, steps, ...)",
    ]


def test_a_pack_may_use_local_faith_framing_but_not_the_old_household_code_name(cat):
    cat.packs["ntb.id.toml"] = pack(
        override=[{"lesson": "cg04", "text": "Sesudah Magrib, simpan kode rumah tangga."}],
        lesson=[own("ntb-cg01", "cg02", text="Sesudah pengajian, ajak anak bicara. Coba ini.")],
    )
    assert cat.problems() == [
        'packs/ntb.id.toml cg04: override text says "kode rumah tangga"; write "kode keluarga"'
    ]


def test_times_in_a_pack_are_in_its_own_zone(cat):
    cat.packs["ntb.id.toml"] = pack(
        override=[{"lesson": "mg03", "text": "Telepon pukul 19.00 WIB (20.00 WITA). Coba ini."}],
    )
    assert cat.problems() == [
        "packs/ntb.id.toml mg03: override gives a time in WIB; this pack is WITA"
    ]


def test_language_files_of_one_pack_add_the_same_lessons(cat):
    cat.packs["ntb.id.toml"] = pack(lesson=[own("ntb-cg01", "cg02"), own("ntb-cg02", "cg03")])
    cat.packs["ntb.en.toml"] = pack(language="en", lesson=[own("ntb-cg01", "cg03")])
    assert cat.problems() == [
        "packs/ntb.id.toml: its own lessons differ from packs/ntb.en.toml "
        "(ids, tracks, order, after)"
    ]


def test_placeholder_defaults_must_be_local_services_short_and_gsm7(cat):
    cat.packs["ntb.id.toml"] = pack(
        placeholders={"name": "Inaq", "uptd_ppa": "U" * 31, "hotline": "SAPA \u2013 129"}
    )
    assert cat.problems() == [
        "packs/ntb.id.toml [placeholders]: 'name' is not a local service; use one of "
        "uptd_ppa, puskesmas, hotline",
        "packs/ntb.id.toml [placeholders]: uptd_ppa is 31 characters; at most 30",
        "packs/ntb.id.toml [placeholders]: character '\u2013' in hotline is not GSM-7; use \"-\"",
    ]


def test_without_a_database_the_pack_defaults_must_fill_what_its_texts_name(cat):
    text = "Hubungi {uptd_ppa} atau {hotline}, periksa di {puskesmas}. Coba ini."
    cat.packs["ntb.id.toml"] = pack(
        placeholders={"hotline": "SAPA 129"}, override=[{"lesson": "cg05", "text": text}]
    )
    assert cat.problems() == [
        'packs/ntb: {puskesmas} has no default; add puskesmas = "..." under [placeholders]',
        'packs/ntb: {uptd_ppa} has no default; add uptd_ppa = "..." under [placeholders]',
    ]


def test_with_the_database_s_villages_each_village_of_the_pack_is_filled(cat):
    text = "Hubungi {uptd_ppa}, periksa di {puskesmas}. Coba ini."
    cat.packs["ntb.id.toml"] = pack(
        placeholders={"uptd_ppa": "UPTD PPA NTB"}, override=[{"lesson": "cg05", "text": text}]
    )
    sakra = Place("Sakra", "Nusa Tenggara Barat", {"puskesmas": "Puskesmas Sakra"})
    bare = Place("Selong", "Nusa Tenggara Barat", {"puskesmas": None, "hotline": "x" * 21})
    java = Place("Kanigoro", "Jawa Timur", {})
    assert cat.problems(places=[sakra, bare, java]) == [
        "village Selong: hotline is 21 characters; at most 20",
        "village Selong (pack ntb): {puskesmas} is not filled; set it on the village page "
        "or under [placeholders] in packs/ntb",
    ]
    assert cat.problems(places=[sakra, java]) == []


def test_a_pack_may_replace_one_of_another_pack_s_lessons(ntt):
    ntt.packs["oelnasi.id.toml"][1]["override"] = [{"lesson": "ntt-cg02", "text": "Desa. Coba."}]
    catalog = load_catalog(ntt.write())
    assert catalog.render("caregiver", 4, "id", village="Oelnasi", province=NTT) == "Desa. Coba."
    assert ntt.problems() == []


# ---------------------------------------------------------------- the command, with a database


def test_the_command_checks_every_village_of_the_database(runner, factory, cat):
    text = "Periksa di {puskesmas}. Coba ini: tanya jadwal."
    cat.packs["ntb.id.toml"] = pack(override=[{"lesson": "cg05", "text": text}])
    path = str(cat.write())
    sakra = factory.village("Sakra", province="Nusa Tenggara Barat")
    factory.village("Kanigoro", province="Jawa Timur")

    result = runner.invoke(args=["content", "check", "--path", path])
    assert result.exit_code == 1
    assert "village Sakra (pack ntb): {puskesmas} is not filled" in result.output
    assert "Kanigoro" not in result.output

    sakra.puskesmas = "Puskesmas Sakra"
    db.session.commit()
    result = runner.invoke(args=["content", "check", "--path", path])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("2 villages checked")

    result = runner.invoke(args=["content", "check", "--path", path, "--no-villages"])
    assert result.exit_code == 1
    assert 'packs/ntb: {puskesmas} has no default; add puskesmas = "..."' in result.output
