"""Households search, the message log's filters and pages, the content list and the audit log."""

import csv
import io
from datetime import UTC, datetime

from service import audit
from service.models import db
from service.web.admin.periods import week_start


def csv_rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# ---------------------------------------------------------------- households


def test_households_are_found_by_code_name_or_phone(admin_client, factory):
    village = factory.village("Kanigoro")
    sumini = factory.household(village, name="Mbah Sumini", phone="+6281200000011")
    darto = factory.household(village, name="Pak Darto", phone="+6281200000012")
    factory.migrant(darto, phone="+85291234567")

    def found(query):
        page = admin_client.get("/admin/households", query_string={"q": query})
        text = page.get_data(as_text=True)
        return {code for code in (sumini.code, darto.code) if f">{code}<" in text}

    assert found(sumini.code) == {sumini.code}
    assert found("sumini") == {sumini.code}
    assert found("SUMINI") == {sumini.code}
    assert found("0812-0000-0012") == {darto.code}
    assert found("+62 812 0000 0011") == {sumini.code}
    assert found("+852 9123 4567") == {darto.code}  # the parent abroad's number
    assert found("nobody") == set()
    assert found("") == {sumini.code, darto.code}


def test_a_search_for_a_percent_sign_matches_nothing_in_particular(admin_client, factory):
    factory.household(name="Mbah Sumini")
    page = admin_client.get("/admin/households", query_string={"q": "%"}).get_data(as_text=True)
    assert "0 households" in page


def test_the_households_csv_follows_the_search(admin_client, factory):
    village = factory.village("Kanigoro")
    sumini = factory.household(village, name="Mbah Sumini", births=((2016, 4), (2019, 11)))
    factory.household(village, name="Pak Darto")
    rows = csv_rows(admin_client.get("/admin/households.csv", query_string={"q": "Sumini"}))
    assert [row["code"] for row in rows] == [sumini.code]
    assert rows[0]["children_birth_years"] == "2016 2019"
    assert rows[0]["caregiver_phones"] == sumini.caregivers[0].phone
    assert len(csv_rows(admin_client.get("/admin/households.csv"))) == 2


def test_a_household_page_lists_its_people_and_latest_sms(admin_client, factory, dash):
    home = factory.household(name="Mbah Sumini", phone="+6281200000011")
    factory.migrant(home, phone="+85291234567")
    dash.message(to="+85291234567", body="Salam dari kampung")
    page = admin_client.get(f"/admin/households/{home.id}").get_data(as_text=True)
    assert "Mbah Sumini" in page and "+85291234567" in page and "Salam dari kampung" in page
    assert admin_client.get("/admin/households/999999").status_code == 404


# ---------------------------------------------------------------- messages


def test_the_message_log_filters_by_status_kind_village_and_days(admin_client, factory, dash):
    here, there = factory.village("Kanigoro"), factory.village("Sakra")
    march = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # 10 March, 10:00 WIB
    dash.message(village=here, status="delivered", kind="lesson", sent_at=march, body="one")
    dash.message(village=here, status="failed", kind="lesson", sent_at=march, body="two")
    dash.message(village=there, status="delivered", kind="reply", sent_at=march, body="three")
    dash.message(
        village=here,
        status="delivered",
        kind="lesson",
        body="four",
        sent_at=datetime(2026, 3, 9, 16, 59, tzinfo=UTC),
    )  # 9 March 23:59 WIB

    def bodies(**filters):
        rows = csv_rows(admin_client.get("/admin/messages.csv", query_string=filters))
        return sorted(row["body"] for row in rows)

    assert bodies() == ["four", "one", "three", "two"]
    assert bodies(status="failed") == ["two"]
    assert bodies(kind="reply") == ["three"]
    assert bodies(village=str(there.id)) == ["three"]
    assert bodies(**{"from": "2026-03-10", "to": "2026-03-10"}) == ["one", "three", "two"]
    assert bodies(to="2026-03-09") == ["four"]
    assert bodies(status="nonsense", kind="lesson", village=str(here.id)) == ["four", "one", "two"]
    page = admin_client.get("/admin/messages", query_string={"status": "failed"})
    assert "two" in page.get_data(as_text=True) and ">one<" not in page.get_data(as_text=True)


def test_the_message_log_pages_through_everything(admin_client, dash):
    for n in range(120):
        dash.message(body=f"message number {n:03d}")
    first = admin_client.get("/admin/messages").get_data(as_text=True)
    third = admin_client.get("/admin/messages?page=3").get_data(as_text=True)
    assert "message number 119" in first and "message number 000" not in first
    assert "message number 000" in third and "Page 3 of 3" in third
    assert 'rel="next"' in first and 'rel="next"' not in third


def test_message_pager_links_keep_the_filter(admin_client, dash):
    for _ in range(60):
        dash.message(status="failed")
    page = admin_client.get("/admin/messages?status=failed").get_data(as_text=True)
    assert "page=2" in page and "status=failed" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


# ---------------------------------------------------------------- content


def test_content_lists_every_lesson_with_its_segments(admin_client):
    from messages.gsm import segment_info
    from messages.lessons import load_catalog

    catalog = load_catalog()
    track, language = sorted(catalog.tracks)[0]
    lesson = catalog.lessons(track, language)[0]
    rows = csv_rows(admin_client.get("/admin/content.csv"))
    assert len(rows) == sum(len(lessons) for lessons in catalog.tracks.values())
    row = next(r for r in rows if r["id"] == lesson.id and r["language"] == language)
    assert row["track"] == track and int(row["segments"]) == segment_info(lesson.text).segments
    page = admin_client.get("/admin/content", query_string={"track": track}).get_data(as_text=True)
    assert lesson.title in page
    for each_track, each_language in catalog.tracks:
        assert f"track={each_track}" in admin_client.get("/admin/content").get_data(as_text=True)
        assert each_language in page


# ---------------------------------------------------------------- audit log


def test_the_audit_log_lists_changes_newest_first_and_filters(admin_client, factory):
    audit.record("cli", "village.add", "village", 1, name="Kanigoro")
    audit.record("sms:+6281100000001", "household.register", "household", 7, code="12345")
    db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert page.index("household.register") < page.index("village.add")
    rows = csv_rows(admin_client.get("/admin/audit.csv", query_string={"action": "village."}))
    assert [row["action"] for row in rows] == ["village.add"]
    assert '"name": "Kanigoro"' in rows[0]["detail"]
    rows = csv_rows(admin_client.get("/admin/audit.csv", query_string={"actor": "sms:"}))
    assert [row["entity_id"] for row in rows] == ["7"]


def test_every_table_has_a_csv_export(admin_client):
    for path in (
        "/admin/villages.csv",
        "/admin/households.csv",
        "/admin/messages.csv",
        "/admin/content.csv",
        "/admin/audit.csv",
        "/admin/facilitators.csv",
    ):
        response = admin_client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/csv", path
        assert response.headers["Content-Disposition"].startswith("attachment"), path
        assert response.get_data(as_text=True).count("\n") >= 1, path  # at least a header
        response.close()


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(admin_client, dash):
    dash.message(body='=HYPERLINK("http://evil")', sent_at=week_start())
    (row,) = csv_rows(admin_client.get("/admin/messages.csv"))
    assert row["body"].startswith("'=")
    assert row["to"] == "+6281300000001"  # a phone number keeps its plus


def test_exports_stream_after_the_view_returns_as_under_gunicorn(
    app, app_config, factory, dash, make_account
):
    """A second app object gets a fresh context (and session) per request, as in production."""
    from service import create_app
    from tests.fixtures.dashboard import sign_in

    village = factory.village("Kanigoro")
    factory.facilitator(village)
    factory.household(village)
    dash.message(village=village)
    audit.record("cli", "village.add", "village", village.id)
    db.session.commit()
    make_account("ana")
    client = create_app(app_config).test_client()
    assert sign_in(client, "ana").status_code == 302
    for path in (
        "/admin/villages.csv",
        "/admin/households.csv",
        "/admin/messages.csv",
        "/admin/content.csv",
        "/admin/audit.csv",
        "/admin/facilitators.csv",
    ):
        assert len(csv_rows(client.get(path))) >= 1, path
