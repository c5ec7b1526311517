"""The language registry: one list, fallback chains, and a language added from a folder.

The module's app speaks a throwaway language "xx" from a temporary folder (LANGUAGE_DIRS):
one registry entry, three catalogs with a few texts, one translated lesson, a glossary.
"""

import re

import pytest
from sqlalchemy import select

from menus.text import t
from messages.glossary import uses
from messages.keywords import KEYWORDS
from messages.lessons import load_catalog
from messages.replies import reply_text
from service import create_app
from service.brand import branded
from service.languages import LanguageError, load
from service.models import AuditLog, Caregiver, Village, db
from service.outbox import is_opted_out
from tests.fixtures.languages import (
    CODE,
    LESSON_TEXT,
    MENUS,
    NAME,
    REPLIES,
    lesson_file,
    po,
    write_language,
)
from tests.fixtures.schedule import at

JKT = "Asia/Jakarta"
PHONE = "+6281377700501"


@pytest.fixture
def app_config(app_config, tmp_path):
    """Every app of this module also speaks the throwaway language."""
    app_config["LANGUAGE_DIRS"] = [str(write_language(tmp_path / "xx"))]
    return app_config


def use_folder(app, folder):
    """Point the running app at another extra folder (the registry reads the setting live)."""
    app.config["LANGUAGE_DIRS"] = [str(folder)]


# ---------------------------------------------------------------- the shipped registry


def test_the_shipped_registry_lists_each_language_once_with_its_chain():
    found = load()
    assert found.codes() == ("id", "en", "jv", "su", "sas")
    assert [found.chain(code) for code in ("id", "en", "jv", "su", "sas")] == [
        ("id",),
        ("en", "id"),
        ("jv", "id"),
        ("su", "id"),
        ("sas", "id"),
    ]
    assert found.chain("zz") == ("id",)  # an unknown code reads the root language
    assert [x.code for x in found.sources()] == ["id", "en"]
    assert found.get("jv").tracks() == ["caregiver"] and found.get("jv").name == "Basa Jawa"


ENTRY = 'code = "{code}"\nname = "N"\nfallback = {fallback}\nparts = {parts}\n'


@pytest.mark.parametrize(
    "entries, message",
    [
        pytest.param(
            [("jv", '["id"]', '["menus"]')], "language 'jv' is declared twice", id="duplicate"
        ),
        pytest.param([("yy", '["qq"]', "[]")], "falls back to unknown 'qq'", id="unknown-fallback"),
        pytest.param(
            [("yy", '["zz"]', "[]"), ("zz", '["yy"]', "[]")], "fallback chain loops", id="loop"
        ),
        pytest.param([("yy", "[]", "[]")], "exactly one language must have no fallback", id="root"),
        pytest.param([("yy", '["id"]', '["lessons.cooking"]')], "unknown part", id="part"),
        pytest.param([("Y1", '["id"]', "[]")], "code must be 2-3 letters", id="code"),
    ],
)
def test_registry_mistakes_stop_the_app_with_a_sentence(tmp_path, app_config, entries, message):
    text = "\n".join(
        "[[language]]\n" + ENTRY.format(code=c, fallback=f, parts=p) for c, f, p in entries
    )
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "languages.toml").write_text(text, encoding="utf-8")
    with pytest.raises(LanguageError, match=re.escape(message)):
        create_app({**app_config, "LANGUAGE_DIRS": [str(tmp_path / "bad")]})


def test_an_app_refuses_a_default_language_the_registry_does_not_know(app_config):
    with pytest.raises(LanguageError, match="DEFAULT_LANGUAGE='xy' is not a registered"):
        create_app({**app_config, "DEFAULT_LANGUAGE": "xy"})


# ---------------------------------------------------------------- fallback, text by text


def test_a_text_the_language_lacks_comes_from_its_chain_key_by_key(app):
    assert t(CODE, "main.title") == MENUS["main.title"]
    assert t(CODE, "main.meeting") == t("id", "main.meeting") == "Pertemuan desa berikut"
    assert reply_text("help.public", CODE, ussd="*1#") == REPLIES["help.public"].format(ussd="*1#")


def test_a_translation_with_a_broken_placeholder_falls_back_instead_of_failing(app, tmp_path):
    broken = {"help.public": "Asuh uji: pencet {kode}."}  # {ussd} renamed by mistake
    use_folder(app, write_language(tmp_path / "broken", replies=broken))
    assert reply_text("help.public", CODE, ussd="*1#") == reply_text(
        "help.public", "id", ussd="*1#"
    )


def test_lessons_fall_back_lesson_by_lesson_in_the_tracks_order(app):
    lessons, count = load_catalog().lessons("caregiver", CODE), load_catalog().count("caregiver")
    assert len(lessons) == count >= 24
    assert [x.position for x in lessons] == list(range(count))
    assert [x.id for x in lessons if x.language == CODE] == ["cg05"]
    assert lessons[4].text == LESSON_TEXT and lessons[5].language == "id"


# ---------------------------------------------------------------- a caregiver's view


def language_number(text, name):
    """The number the language screen gives a language (the list may run over pages)."""
    found = re.search(rf"^(\d+) {re.escape(name)}$", text, re.MULTILINE)
    assert found, text
    return found.group(1)


def test_a_language_added_from_a_folder_is_offered_on_ussd_and_used_for_sms(
    app, factory, ussd, sms, dispatcher
):
    village = factory.village("Kanigoro", timezone=JKT)
    factory.facilitator(village, phone="+6281100000501")
    home = factory.household(village, phone=PHONE, now=at(JKT, "2031-02-20 10:00"))
    session = ussd.dial(PHONE)
    session.press("4")
    assert session.screen == "language" and "1 Bahasa Indonesia" in session.text
    session.press(language_number(session.text, NAME))
    assert session.screen == "language.saved" and MENUS["language.saved"] in session.text
    session.press("0")
    assert "Uji - menu utama" in session.text and "1 Piwulang minggu iki" in session.text
    assert "2 Pertemuan desa berikut" in session.text  # not translated: Indonesian
    assert db.session.scalar(select(Caregiver.language).where(Caregiver.phone == PHONE)) == CODE

    enrollment = dispatcher.caregiver_enrollment(home)
    dispatcher.make_due(enrollment, at(JKT, "2031-03-03 08:00"), position=4)  # cg05: translated
    dispatcher.tick(at(JKT, "2031-03-03 08:30"))
    (lesson,) = dispatcher.rows(kind="lesson", to_phone=PHONE)
    assert LESSON_TEXT in lesson.body and lesson.lesson_id == "cg05"
    assert sms(PHONE, "BANTUAN") == [REPLIES["help.public"].format(ussd="*384*123#")]


# ---------------------------------------------------------------- the content check


def test_content_check_reports_a_partial_language_and_passes(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert re.search(r"xx\s+menus\s+3/\d+\s+draft", result.output)
    count = load_catalog().count("caregiver")
    assert re.search(rf"xx\s+lessons caregiver\s+1/{count}\s+draft", result.output)
    assert re.search(r"jv\s+menus\s+\d+/\d+", result.output)


def broken(folder, **files):
    """The throwaway language with some of its files replaced."""
    write_language(folder)
    for relative, text in files.items():
        (folder / relative.replace("__", "/")).write_text(text, encoding="utf-8")
    return folder


PO_MENUS = "menus__xx.po"
CASES = [
    pytest.param(
        {PO_MENUS: po(CODE, MENUS, status="reviewed")},
        "menus/xx.po: reviewed, but by whom? name the reviewer",
        id="reviewed-without-reviewer",
    ),
    pytest.param(
        {PO_MENUS: po(CODE, MENUS, status="reviewed", by="Siti Aminah", on="30-11-2026")},
        "reviewed, but on '30-11-2026'; give the day as YYYY-MM-DD",
        id="reviewed-without-a-date",
    ),
    pytest.param(
        {"replies__xx.po": po(CODE, {"help.public": "Pencet {kode}. STOP."})},
        "replies/xx.po help.public: placeholders must be {ussd} as in the original",
        id="placeholder",
    ),
    pytest.param(
        {PO_MENUS: po(CODE, {"main.title": "Uji \u2013 menu"})},
        "menus/xx.po main.title: character '\u2013' is not GSM-7; use \"-\"",
        id="gsm",
    ),
    pytest.param(
        {PO_MENUS: po(CODE, {"main.lesson": "Wulangan minggu iki"})},
        "menus/xx.po main.lesson: the Indonesian says 'pelajaran'; write 'piwulang'",
        id="glossary-term",
    ),
    pytest.param(
        {PO_MENUS: po(CODE, {"main.title": "Uji " + "sanget " * 30})},
        "menus xx: screen main takes 3 pages",
        id="screen-too-long",
    ),
    pytest.param(
        {"lessons__caregiver.xx.toml": lesson_file(review='status = "reviewed"\nby = "Siti"')},
        "caregiver.xx.toml: reviewed, but on ''",
        id="lesson-review",
    ),
    pytest.param(
        {"lessons__caregiver.xx.toml": lesson_file().replace('"cg05"', '"cg99"')},
        "caregiver.xx.toml cg99: not a lesson of caregiver.id.toml",
        id="unknown-lesson",
    ),
    pytest.param(
        {"lessons__caregiver.xx.toml": lesson_file(text="Kirim STOP \u201cuji\u201d.")},
        "caregiver.xx.toml cg05: character '\u201c' in text is not GSM-7",
        id="lesson-gsm",
    ),
    pytest.param(
        {"glossary__xx.toml": 'language = "xx"\n[terms]\nlesson = "piwulang"\n'},
        "glossary/xx.toml: no term for household_code",
        id="glossary-incomplete",
    ),
]


@pytest.mark.parametrize("files, message", CASES)
def test_content_check_fails_on_a_broken_translation(app, runner, tmp_path, files, message):
    use_folder(app, broken(tmp_path / "broken", **files))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "OK" not in result.output


def test_content_check_wants_a_glossary_once_a_language_has_texts(app, runner, tmp_path):
    folder = write_language(tmp_path / "no-glossary")
    (folder / "glossary" / "xx.toml").unlink()
    use_folder(app, folder)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1 and "glossary/xx.toml: missing" in result.output


@pytest.mark.parametrize(
    "text, term, used",
    [
        ("Datang ke pertemuan desa", "pertemuan", True),
        ("Pertemuannya hari Sabtu", "pertemuan", True),
        ("PERTEMUAN 5/12 15:00 Balai Desa", "pertemuan", False),  # the keyword, kept as is
        ("Kirim STOP untuk berhenti", "STOP", True),
        ("Kirim stop untuk berhenti", "STOP", True),
        ("Bertemu di balai", "pertemuan", False),
    ],
)
def test_the_glossary_rule_reads_words_not_keywords(text, term, used):
    assert uses(text, term) is used


def test_the_cli_adds_a_village_in_a_draft_language_only_when_told_to(runner):
    args = ["village", "add", "--name", "Kanigoro", "--district", "Blitar", "--province", "Jatim"]
    refused = runner.invoke(args=[*args, "--language", "jv"])
    assert refused.exit_code != 0 and "jv is a draft translation" in refused.output
    assert db.session.scalar(select(Village)) is None
    unknown = runner.invoke(args=[*args, "--language", "klingon"])
    assert (
        unknown.exit_code != 0 and "unknown language 'klingon'; use one of id, en" in unknown.output
    )
    added = runner.invoke(args=[*args, "--language", "jv", "--confirm-draft"])
    assert added.exit_code == 0, added.output
    assert db.session.scalar(select(Village.language)) == "jv"


# ---------------------------------------------------------------- keywords in other languages


def test_glossary_words_call_their_keywords_and_imply_their_language(app):
    stop, _ = KEYWORDS.lookup("BERHENTI")
    assert KEYWORDS.lookup("ujimandeg") == (stop, CODE)
    assert KEYWORDS.lookup("STOP") == (stop, "en") and KEYWORDS.lookup("DAFTAR")[1] == "id"
    info, _ = KEYWORDS.lookup("INFO")
    assert KEYWORDS.lookup("UJIKATRANGAN", alone=False) == (info, CODE)  # a command with fields
    assert KEYWORDS.word_in(info, CODE) == "UJIKATRANGAN" and KEYWORDS.word_in(info, "id") == "INFO"


def test_a_glossary_stop_word_followed_by_more_text_is_not_a_stop(app):
    assert KEYWORDS.lookup("UJIMANDHEG", alone=False) == (None, None)  # "mandheg sekolah"
    assert KEYWORDS.lookup("BERHENTI", alone=False)[0] is not None  # the keyword itself is


@pytest.mark.parametrize(
    "keywords, message",
    [
        ('MASAK = ["OLAH"]', "glossary/xx.toml [keywords]: MASAK is not a keyword"),
        ('STOP = ["DAFTAR"]', "glossary/xx.toml [keywords]: DAFTAR is taken already (DAFTAR)"),
        ('STOP = ["mandeg sekolah"]', "keyword alias 'MANDEG SEKOLAH' for STOP must be one word"),
    ],
)
def test_content_check_refuses_a_glossary_keyword_that_cannot_work(
    app, runner, tmp_path, keywords, message
):
    use_folder(app, write_language(tmp_path / "kw", keywords=keywords))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1 and message in result.output


# ---------------------------------------------------------------- by SMS, and from the village


def test_a_facilitator_sets_a_households_language_by_sms(app, factory, sms):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone="+6281100000502")
    home = factory.household(village, phone=PHONE)
    (reply,) = sms("+6281100000502", f"BAHASA {home.code} uji")  # a word of its name will do
    told = f"Keluarga {home.code}: SMS dan menu Asuh sekarang dalam {NAME} (Mbah Sumini)."
    assert reply == branded(told)
    assert db.session.scalar(select(Caregiver.language).where(Caregiver.phone == PHONE)) == CODE
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.language"))
    assert entry.detail == {"language": CODE} and entry.actor == "sms:+6281100000502"
    (refused,) = sms("+6281100000502", f"BAHASA {home.code} fr")
    assert (
        refused.startswith("Asuh: Bahasa fr tidak dikenal.") or "Bahasa fr tidak dikenal" in refused
    )
    assert f"{CODE} ({NAME})" in refused
    assert db.session.scalar(select(Caregiver.language).where(Caregiver.phone == PHONE)) == CODE


def test_new_households_take_their_villages_language(app, factory, sms):
    village = factory.village("Kanigoro", language=CODE)
    factory.facilitator(village, phone="+6281100000503", language="id")
    sms("+6281100000503", "DAFTAR Mbah Karsih 0812 9999 0501 nenek 2019-03")
    assert db.session.scalar(select(Caregiver.language)) == CODE


def test_a_caregiver_stops_with_her_languages_word_but_not_with_a_sentence(app, factory, sms):
    home = factory.household(factory.village("Kanigoro"), phone=PHONE)
    sms(PHONE, "ujimandheg sekolah putuku")  # "my grandchild left school": news, not a STOP
    assert not is_opted_out(PHONE)
    (confirmation,) = sms(PHONE, "Ujimandeg")
    assert is_opted_out(PHONE) and confirmation == reply_text("reply.stop.ok", CODE)
    assert home.caregivers[0].language == "id"  # a keyword's language answers, it is not stored


def test_many_languages_page_the_language_screen_within_one_reply(app, factory, ussd, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    names = [f"Basa Uji Nomer {n}" for n in range(1, 13)]
    entry = '[[language]]\ncode = "q{}"\nname = "{}"\nfallback = ["id"]\nparts = ["menus"]\n'
    entries = [entry.format(chr(97 + n), name) for n, name in enumerate(names)]
    (folder / "languages.toml").write_text("\n".join(entries), encoding="utf-8")
    use_folder(app, folder)
    factory.household(factory.village("Kanigoro"), phone=PHONE)
    session = ussd.dial(PHONE)
    session.press("4")
    seen = [session.text]
    while "98 " in session.text:  # every page fits one reply (the session checks 182)
        session.press("98")
        seen.append(session.text)
    assert len(seen) > 1 and names[-1] in seen[-1]
    session.press(language_number(session.text, names[-1]))
    assert session.screen == "language.saved"
    assert db.session.scalar(select(Caregiver.language).where(Caregiver.phone == PHONE)) == "ql"


def test_a_key_indonesian_lacks_is_a_warning_not_a_failure(app, runner, tmp_path):
    use_folder(app, broken(tmp_path / "typo", **{PO_MENUS: po(CODE, {"main.titel": "Uji"})}))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output
    assert "menus/xx.po main.titel: no such key in id.po" in result.output
