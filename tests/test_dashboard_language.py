"""The dashboard in Bahasa Indonesia: every text translated, each officer's own choice of
Indonesian or English (Indonesian by default), numbers and dates written that language's
way, and the languages of the content marked draft until a native speaker signs them off."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from service.i18n import read_catalog
from service.models import AdminUser, AuditLog, Village, db, utcnow
from service.web.admin.filters import day, money, number, percent, when
from service.web.locale import SESSION_KEY
from tests.fixtures.dashboard import PASSWORD, form_token, sign_in
from tests.fixtures.dashboard_texts import WEB, every_text
from tests.fixtures.languages import lesson_file, po, write_language

CATALOG = WEB / "translations" / "id.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_dashboard_text_has_an_indonesian_translation_with_the_same_placeholders():
    catalog = read_catalog(CATALOG)
    missing = sorted(str(text) for text in every_text() if not catalog.get(text))
    assert missing == []
    for english, indonesian in catalog.items():
        source = " ".join(english) if isinstance(english, tuple) else english
        target = indonesian[0] if isinstance(indonesian, tuple) else indonesian
        assert set(PLACEHOLDER.findall(target)) <= set(PLACEHOLDER.findall(source)), english
        assert set(
            PLACEHOLDER.findall(english[0] if isinstance(english, tuple) else english)
        ) <= set(PLACEHOLDER.findall(target)), english


@pytest.fixture
def officer(app, client, runner):
    """An officer made by `asuh admin create`, signed in: nobody chose a language for her."""
    result = runner.invoke(args=["admin", "create", "--username", "budi"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert sign_in(client, "budi", language="id").status_code == 302
    return client


def switch(client, language, page="/admin/"):
    """Press the language button on a page, as an officer does."""
    token = form_token(client, page)
    return client.post(
        "/admin/language", data={"language": language, "next": page, "csrf_token": token}
    )


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_a_new_account_reads_the_dashboard_in_indonesian(officer):
    assert db.session.scalar(select(AdminUser.language)) == "id"
    page = html(officer, "/admin/")
    assert '<html lang="id">' in page and "Ringkasan program" in page
    assert "Programme overview" not in page and ">English</button>" in page
    for path, words in [
        ("/admin/villages", "Tambah desa"),
        ("/admin/households", "Cari menurut kode keluarga"),
        ("/admin/messages", "Saring"),
        ("/admin/content", "Isi pelajaran"),
        ("/admin/facilitators", "Tambah fasilitator"),
        ("/admin/audit", "Log audit"),
        ("/admin/villages/new", "Zona waktu"),
        ("/simulator/", "HP siapa ini?"),
    ]:
        assert words in html(officer, path), path


def test_an_officer_switches_to_english_and_back_and_the_choice_is_kept(officer):
    response = switch(officer, "en", "/admin/villages")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/villages"
    assert db.session.scalar(select(AdminUser.language)) == "en"
    assert "Add a village" in html(officer, "/admin/villages")
    switch(officer, "id")
    assert "Tambah desa" in html(officer, "/admin/villages")


def test_a_language_switch_without_a_token_or_to_an_unknown_language_changes_nothing(officer):
    assert officer.post("/admin/language", data={"language": "en"}).status_code == 400
    switch(officer, "jv")  # a language of the lessons, not of the dashboard
    assert db.session.scalar(select(AdminUser.language)) == "id"


def test_a_visitor_chooses_the_sign_in_pages_language(client):
    assert "Masuk" in html(client, "/admin/login") and "Nama pengguna" in html(
        client, "/admin/login"
    )
    assert "Username" in html(client, "/admin/login?lang=en")
    assert "Username" in html(client, "/admin/login")  # kept for the visit
    with client.session_transaction() as session:
        assert session[SESSION_KEY] == "en"


def test_signing_out_keeps_the_officers_language_on_the_sign_in_page(officer):
    token = form_token(officer, "/admin/")
    response = officer.post("/admin/logout", data={"csrf_token": token}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Anda sudah keluar." in text and "Nama pengguna" in text


def test_flash_messages_form_errors_and_csv_headers_follow_the_language(officer, no_csrf):
    response = officer.post("/admin/villages/new", data={"name": "", "timezone": "Asia/Jakarta"})
    assert "Wajib diisi." in response.get_data(as_text=True)
    data = {"name": "Sumberejo", "district": "Blitar", "province": "Jawa Timur"}
    data |= {"timezone": "Asia/Jakarta", "language": "id"}
    response = officer.post("/admin/villages/new", data=data, follow_redirects=True)
    assert "Desa Sumberejo ditambahkan." in response.get_data(as_text=True)
    assert (
        html(officer, "/admin/villages.csv")
        .splitlines()[0]
        .startswith("desa,kabupaten,provinsi,rumah_tangga,pengasuh_aktif")
    )
    switch(officer, "en")
    assert html(officer, "/admin/villages.csv").startswith("village,district,province,households")


def test_numbers_money_and_dates_are_written_the_officers_way(app, officer, dash):
    dash.message(cost=56750.0, sent_at=utcnow())
    assert "IDR 56.750" in html(officer, "/admin/")
    switch(officer, "en")
    assert "IDR 56,750" in html(officer, "/admin/")


@pytest.mark.parametrize(
    "language, expected",
    [
        ("id", ("1.234", "1.250,50", "87%", "30 Des 2026", "30 Des 2026 19.45")),
        ("en", ("1,234", "1,250.50", "87%", "30 Dec 2026", "30 Dec 2026 19:45")),
    ],
)
def test_the_filters_write_each_language_its_way(app, language, expected):
    moment = datetime(2026, 12, 30, 12, 45, tzinfo=UTC)  # 19:45 WIB
    with app.test_request_context("/admin/"):
        from flask import session

        session[SESSION_KEY] = language
        written = (number(1234), money(1250.5), percent(0.87), day(moment), when(moment))
    assert written[:4] == expected[:4]
    assert written[4].replace(".", ":") == expected[4].replace(".", ":")  # 19.45 or 19:45


# ---------------------------------------------------------------- draft languages


def test_forms_offer_the_registrys_languages_and_mark_the_drafts(officer):
    page = html(officer, "/admin/villages/new")
    for code, name in [("id", "Bahasa Indonesia"), ("en", "Bahasa Inggris")]:
        assert (
            f'<option value="{code}">{name}</option>' in page or f'value="{code}" selected' in page
        )
    for code, name in [("jv", "Bahasa Jawa"), ("su", "Bahasa Sunda"), ("sas", "Bahasa Sasak")]:
        assert f'<option value="{code}">{name} (draf)</option>' in page
    assert '<option value="jv">Bahasa Jawa (draf)</option>' in html(
        officer, "/admin/facilitators/new"
    )


def village_data(village, **changes):
    data = {
        "name": village.name,
        "district": village.district,
        "province": village.province,
        "timezone": village.timezone,
        "language": village.language,
    }
    return data | changes


def test_switching_a_village_to_a_draft_language_needs_an_admins_confirmation(
    officer, factory, no_csrf
):
    village = factory.village("Kanigoro")
    path = f"/admin/villages/{village.id}/edit"
    response = officer.post(path, data=village_data(village, language="jv"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bahasa Jawa masih terjemahan draf" in text
    assert 'name="confirm_draft"' in text
    db.session.expire_all()
    assert db.session.get(Village, village.id).language == "id"
    response = officer.post(path, data=village_data(village, language="jv", confirm_draft="y"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Village, village.id).language == "jv"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "village.edit"))
    assert entry.detail["draft_language_confirmed"] == "jv"
    # Saving other details later does not ask again: the village is in that language already.
    later = village_data(db.session.get(Village, village.id), district="Tulungagung")
    assert officer.post(path, data=later).status_code == 302


def test_a_new_village_in_a_draft_language_needs_the_confirmation_too(officer, no_csrf):
    data = {"name": "Cikoneng", "district": "Ciamis", "province": "Jawa Barat"}
    data |= {"timezone": "Asia/Jakarta", "language": "su"}
    assert officer.post("/admin/villages/new", data=data).status_code == 200
    assert db.session.scalar(select(Village)) is None
    assert (
        officer.post("/admin/villages/new", data=data | {"confirm_draft": "y"}).status_code == 302
    )
    assert db.session.scalar(select(Village.language)) == "su"


def test_villages_in_a_draft_language_are_marked(officer, factory):
    factory.village("Kanigoro", language="jv")
    factory.village("Sukamaju", language="id")
    page = html(officer, "/admin/villages")
    kanigoro = page[page.index(">Kanigoro<") : page.index("</th>", page.index(">Kanigoro<"))]
    sukamaju = page[page.index(">Sukamaju<") : page.index("</th>", page.index(">Sukamaju<"))]
    assert "pill-draft" in kanigoro and "Bahasa Jawa" in kanigoro
    assert "pill-draft" not in sukamaju
    kanigoro_id = db.session.scalar(select(Village.id).where(Village.name == "Kanigoro"))
    detail = html(officer, f"/admin/villages/{kanigoro_id}")
    assert "bahasa: Bahasa Jawa" in detail and "pill-draft" in detail


def test_a_reviewed_language_is_neither_marked_nor_confirmed(
    app, officer, factory, tmp_path, no_csrf
):
    signed = {"status": "reviewed", "by": "Siti Aminah", "on": "2026-11-30"}
    folder = write_language(tmp_path / "xx")
    for part in ("menus", "replies", "notices"):
        text = (folder / part / "xx.po").read_text(encoding="utf-8")
        head, body = text.split("\n\n", 1)
        (folder / part / "xx.po").write_text(po("xx", {}, **signed) + "\n" + body, encoding="utf-8")
    review = 'status = "reviewed"\nby = "Siti Aminah"\non = "2026-11-30"'
    (folder / "lessons" / "caregiver.xx.toml").write_text(
        lesson_file(review=review), encoding="utf-8"
    )
    app.config["LANGUAGE_DIRS"] = [str(folder)]
    village = factory.village("Kanigoro")
    path = f"/admin/villages/{village.id}/edit"
    assert officer.post(path, data=village_data(village, language="xx")).status_code == 302
    assert "pill-draft" not in html(officer, "/admin/villages")


def test_the_content_page_shows_each_languages_coverage_and_review(officer):
    page = html(officer, "/admin/content")
    section = page[
        page.index('id="h-languages"') : page.index("</table>", page.index('id="h-languages"'))
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    jv = [row for row in rows if "Bahasa Jawa" in row]
    assert [re.search(r"<td>(.*?)</td>", row).group(1) for row in jv] == [
        "menu USSD",
        "balasan SMS",
        "pemberitahuan",
        "pelajaran pengasuh",
    ]
    assert any("naskah asli" in row for row in rows if "Bahasa Indonesia" in row)
