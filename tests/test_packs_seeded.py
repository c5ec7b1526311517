"""The shipped regional packs render for the seeded villages: Oelnasi (Kupang, NTT) gets the
NTT pack, Sakra (Lombok Timur, NTB) the NTB pack, Kanigoro (Blitar, East Java) the East Java
pack; every text fills its placeholders, fits two SMS after "Asuh: ", and gives times in the
village's own zone."""

import re

import pytest
from sqlalchemy import select

from messages.gsm import segment_info
from messages.lessons import AGE_BANDS, load_catalog, own_services
from service.brand import branded
from service.models import Caregiver, Enrollment, Village, db
from tests.fixtures.schedule import at

SEEDED = {
    "Oelnasi": ("ntt", "WITA"),
    "Sakra": ("ntb", "WITA"),
    "Kanigoro": ("jatim", "WIB"),
}
ZONE = re.compile(r"(?<!\w)(WIB|WITA|WIT)(?!\w)")
FAITH_DEFAULTS = re.compile(r"(?<!\w)(mengaji|ngaji|magrib|maghrib|pengajian|lebaran)(?!\w)", re.I)


@pytest.fixture
def seeded(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    return {v.name: v for v in db.session.scalars(select(Village))}


def bodies(village, track, language="id"):
    """(lesson id, band, SMS body) of every lesson and band the village can receive."""
    catalog = load_catalog()
    services = catalog.local_services(village.name, village.province, own_services(village))
    values = {"name": "N" * 15, "ussd": "*384*123#", **services}
    for lesson in catalog.sequence(track, language, village.name, village.province):
        for band in (None, *AGE_BANDS):
            text = catalog.render(
                track, lesson.position, language, band, village.name, village.province, **values
            )
            yield lesson.id, band, branded(text)


def test_each_seeded_village_is_served_by_its_pack(seeded):
    catalog = load_catalog()
    for name, (slug, zone) in SEEDED.items():
        village = seeded[name]
        assert catalog.slugs_for(village.name, village.province) == [slug], name
        assert catalog.zone(village.name, village.province) == zone


@pytest.mark.parametrize("name", SEEDED)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_text_a_seeded_village_receives_is_filled_and_fits_two_sms(seeded, name, language):
    for track in ("caregiver", "migrant", "adolescent", "facilitator"):
        for lesson_id, band, body in bodies(seeded[name], track, language):
            info = segment_info(body)
            assert info.encoding == "GSM-7" and info.segments <= 2, (lesson_id, band)
            assert "{" not in body and "}" not in body, (lesson_id, band)


@pytest.mark.parametrize("name", SEEDED)
def test_times_are_given_in_the_village_s_own_zone(seeded, name):
    zone = SEEDED[name][1]
    for lesson_id, band, body in bodies(seeded[name], "migrant"):
        named = set(ZONE.findall(body))
        if len(named) < 3:  # a text explaining all three zones names them all
            assert named <= {zone}, (lesson_id, band, named)


def test_oelnasi_hears_no_muslim_framing_and_its_own_christian_framing(seeded):
    oelnasi = seeded["Oelnasi"]
    texts = {(i, b): body for i, b, body in bodies(oelnasi, "caregiver")}
    assert not [key for key, body in texts.items() if FAITH_DEFAULTS.search(body)]
    assert "1 Korintus 13:4" in texts[("cg36", None)]
    assert "UPTD PPA Provinsi NTT" in " ".join(texts.values())


def test_sakra_hears_about_merariq_and_kanigoro_gets_the_east_java_lesson(seeded):
    sakra = {i: body for i, b, body in bodies(seeded["Sakra"], "caregiver") if b is None}
    assert "merariq" in sakra["cg29"].casefold()
    catalog = load_catalog()
    kanigoro = seeded["Kanigoro"]
    ids = [x.id for x in catalog.sequence("caregiver", "id", kanigoro.name, kanigoro.province)]
    assert ids[ids.index("cg13") + 1] == "jatim-cg01"
    assert "jatim-cg01" not in [x.id for x in catalog.sequence("caregiver", "id", "Oelnasi", "x")]


def test_a_seeded_oelnasi_caregiver_is_sent_the_ntt_text(seeded, dispatcher):
    catalog = load_catalog()
    oelnasi = seeded["Oelnasi"]
    carer = db.session.scalar(select(Caregiver).where(Caregiver.name == "Mama Yohana"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.caregiver_id == carer.id))
    position = next(
        x.position
        for x in catalog.sequence("caregiver", "id", oelnasi.name, oelnasi.province)
        if x.id == "cg36"
    )
    monday = at("Asia/Makassar", "2031-03-03 09:30")
    dispatcher.make_due(enrollment, monday, position=position)
    dispatcher.tick(monday)
    (row,) = dispatcher.rows(kind="lesson", to_phone=carer.phone)
    assert row.lesson_id == "cg36" and row.body.startswith("Asuh: ")
    assert "1 Korintus 13:4" in row.body


def test_the_content_check_passes_with_the_seeded_villages(seeded, runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    ok = next(line for line in result.output.splitlines() if line.startswith("OK:"))
    assert ok.endswith(f"{len(seeded)} villages checked"), ok
