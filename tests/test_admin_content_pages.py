"""The content pages: any lesson read with its variants, sources and regional versions side by
side, the regional packs at a glance, and a printable session guide per facilitator lesson."""

import html
import re

import pytest

from tests.content_catalog import FULL_GUIDE, cat, pack, shipped_as

__all__ = ["cat", "shipped_as"]
NTT = "Nusa Tenggara Timur"


def text(response):
    """The page as a reader sees it: tags gone, entities decoded, spaces collapsed."""
    page = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def catalog(cat, shipped_as):
    """A catalog with variants, sources, a guide at its longest and an NTT pack, served."""
    lesson = cat.lesson("caregiver", "cg04")
    lesson["variants"] = {"0-5": "Tidur 11-14 jam untuk umur 1-2. Coba ini: jam tidur tetap."}
    lesson["sources"] = ["WHO, Guidelines on physical activity, sedentary behaviour and sleep"]
    english = cat.lesson("caregiver", "cg04", "en")
    english["variants"] = {"0-5": "Sleep 11-14 hours at ages 1-2. Try this: a fixed bedtime."}
    cat.lesson("facilitator", "fs03")["guide"] = FULL_GUIDE | {"aim": "Pengasuh belajar mendengar."}
    cat.lesson("facilitator", "fs03", "en")["guide"] = FULL_GUIDE
    own = {
        "id": "ntt-cg01",
        "track": "caregiver",
        "after": "cg02",
        "title": "Sekolah Minggu",
        "topic": "faith-and-routine",
        "text": "Ajak anak ke sekolah Minggu. Coba ini: tanya ceritanya.",
        "sources": ["UNICEF Indonesia, Parenting resources"],
    }
    cat.packs["ntt.id.toml"] = pack(
        "province",
        NTT,
        override=[
            {"lesson": "cg04", "text": "Mama/Bapa, sesudah ibadah malam... Coba ini."},
            {"lesson": "cg04", "band": "0-5", "text": "Mama/Bapa, balita tidur 11-14 jam."},
        ],
        lesson=[own],
    )
    return shipped_as(cat.write())


def test_the_content_list_links_every_lesson_and_lists_the_regional_packs(viewer_client, catalog):
    response = viewer_client.get("/admin/content?track=caregiver")
    page = response.get_data(as_text=True)
    assert 'href="/admin/content/lessons/cg04"' in page
    shown = text(response)
    assert "Regional packs" in shown
    assert f"ntt id province {NTT} WITA cg04 Sekolah Minggu after cg02" in shown


def test_a_lesson_s_versions_sit_side_by_side_in_every_language(viewer_client, catalog):
    response = viewer_client.get("/admin/content/lessons/cg04")
    assert response.status_code == 200
    shown = text(response)
    assert "Version Bahasa Indonesia caregiver 4 English caregiver 4" in shown
    assert (
        "Ages 0-5 households with a child of 0-5 Tidur 11-14 jam untuk umur 1-2. Coba ini: jam "
        "tidur tetap. 1 SMS Sleep 11-14 hours at ages 1-2. Try this: a fixed bedtime. 1 SMS"
    ) in shown
    assert (
        f"{NTT} (province pack, WITA) villages of {NTT}, all ages Mama/Bapa, sesudah ibadah "
        "malam... Coba ini. 1 SMS not written in this language"
    ) in shown
    assert f"villages of {NTT}, child of 0-5 Mama/Bapa, balita tidur 11-14 jam." in shown
    assert "Sources WHO, Guidelines on physical activity, sedentary behaviour and sleep" in shown


def test_a_lesson_page_names_the_pack_lessons_that_follow_it(viewer_client, catalog):
    shown = text(viewer_client.get("/admin/content/lessons/cg02"))
    assert "Regional lessons sent right after this one Sekolah Minggu ntt-cg01, pack ntt" in shown
    own = text(viewer_client.get("/admin/content/lessons/ntt-cg01"))
    assert f"a regional lesson, sent to villages of {NTT}, right after cg02" in own
    assert "Default text the pack's villages Ajak anak ke sekolah Minggu." in own
    assert "Sources UNICEF Indonesia, Parenting resources" in own


def test_sms_parts_count_the_brand_and_the_longest_placeholders(viewer_client, cat, shipped_as):
    cat.lesson("caregiver", "cg01")["text"] = "a" * 140 + " {village}"  # 161 with "Asuh: "
    shipped_as(cat.write())
    assert "{village} 2 SMS" in text(viewer_client.get("/admin/content/lessons/cg01"))


@pytest.mark.parametrize("path", ["zz99", "cg01%20x", "CG01", "x" * 41, "cg01/guide"])
def test_an_unknown_lesson_is_a_404(viewer_client, catalog, path):
    assert viewer_client.get(f"/admin/content/lessons/{path}").status_code == 404


def test_the_session_guide_prints_aim_steps_questions_and_what_to_do_on_disclosure(
    viewer_client, catalog
):
    lesson_page = viewer_client.get("/admin/content/lessons/fs03").get_data(as_text=True)
    assert 'href="/admin/content/lessons/fs03/guide?language=en"' in lesson_page
    response = viewer_client.get("/admin/content/lessons/fs03/guide?language=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "guide.css" in page
    assert page.count("<li>") == len(FULL_GUIDE["steps"]) + len(FULL_GUIDE["questions"])
    shown = text(response)
    assert "Facilitator session guide facilitator 3 90 minutes · fs03" in shown
    assert f"Aim {FULL_GUIDE['aim']}" in shown
    assert f"If someone discloses harm {FULL_GUIDE['disclosure']}" in shown
    assert "Refer to: UPTD PPA · PATBM · puskesmas · SAPA 129" in shown


def test_the_guide_speaks_the_language_asked_for(viewer_client, catalog):
    shown = text(viewer_client.get("/admin/content/lessons/fs03/guide"))
    assert "Panduan sesi fasilitator" in shown and "Tujuan Pengasuh belajar mendengar." in shown
    assert "Bila ada yang bercerita tentang kekerasan" in shown


@pytest.mark.parametrize(
    "path",
    [
        "/admin/content/lessons/cg04/guide",  # not a facilitator lesson
        "/admin/content/lessons/fs03/guide?language=jv",  # no guide in that language
        "/admin/content/lessons/zz99/guide",
    ],
)
def test_no_guide_is_a_404(viewer_client, catalog, path):
    assert viewer_client.get(path).status_code == 404


def test_the_guide_stylesheet_lays_it_out_on_a4_and_hides_the_screen_links(client):
    css = client.get("/admin/static/guide.css").get_data(as_text=True)
    assert "@page { size: A4;" in css and ".no-print { display: none; }" in css


def test_the_shipped_ntb_pack_shows_beside_the_local_services_lesson(viewer_client):
    shown = text(viewer_client.get("/admin/content/lessons/cg05"))
    assert "Nusa Tenggara Barat (province pack, WITA) villages of Nusa Tenggara Barat" in shown
