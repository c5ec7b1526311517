"""Viewers see phone numbers masked (+62812****7890) on every page and in every CSV."""

import csv
import io

import pytest

from service import audit
from service.models import db

FULL = "+6281234567890"
MASKED = "+62812****7890"
ABROAD = "+85291234567"


def people(factory, dash):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone="+6281100000001", name="Bu Siti")
    home = factory.household(village, phone=FULL, name="Mbah Sumini")
    factory.migrant(home, phone=ABROAD)
    dash.message(to=FULL, village=village, body=f"Rumah tangga terdaftar: {FULL}")
    dash.callback(home)
    audit.record(f"sms:{FULL}", "household.register", "household", home.id, phone=FULL)
    db.session.commit()
    return village, home


def pages(village, home):
    return [
        "/admin/households",
        f"/admin/households/{home.id}",
        f"/admin/villages/{village.id}",
        "/admin/messages",
        "/admin/audit",
        "/admin/facilitators",
        f"/admin/households?q={FULL}",
    ]


EXPORTS = [
    "/admin/households.csv",
    "/admin/messages.csv",
    "/admin/audit.csv",
    "/admin/facilitators.csv",
]


def test_viewers_never_see_a_whole_number(viewer_client, factory, dash):
    village, home = people(factory, dash)
    for path in pages(village, home) + EXPORTS:
        text = viewer_client.get(path).get_data(as_text=True)
        for number in (FULL, ABROAD, "+6281100000001"):
            assert number not in text, (path, number)
    assert MASKED in viewer_client.get("/admin/households").get_data(as_text=True)


def test_viewer_csv_cells_hold_the_masked_numbers(viewer_client, factory, dash):
    people(factory, dash)
    rows = list(csv.DictReader(io.StringIO(viewer_client.get("/admin/messages.csv").text)))
    assert rows[0]["to"] == MASKED and MASKED in rows[0]["body"]
    rows = list(csv.DictReader(io.StringIO(viewer_client.get("/admin/households.csv").text)))
    assert rows[0]["caregiver_phones"] == MASKED
    assert rows[0]["migrant_parent_phones"] == "+85291****4567"
    rows = list(csv.DictReader(io.StringIO(viewer_client.get("/admin/audit.csv").text)))
    assert rows[0]["actor"] == f"sms:{MASKED}" and MASKED in rows[0]["detail"]


@pytest.mark.parametrize("typed", ["0812 3456 7890", FULL, "+62 812-3456-7890", ABROAD])
def test_viewers_cannot_search_households_by_a_whole_number(viewer_client, factory, dash, typed):
    _, home = people(factory, dash)
    page = viewer_client.get("/admin/households", query_string={"q": typed}).text
    assert f">{home.code}<" not in page
    assert "Searching by phone number is for admins" in page
    assert "0 households" in page
    rows = viewer_client.get("/admin/households.csv", query_string={"q": typed}).text
    assert home.code not in rows


@pytest.mark.parametrize("typed", ["0812 3456 7890", FULL, "+62 812-3456-7890", ABROAD])
def test_admins_search_households_by_a_whole_number(admin_client, factory, dash, typed):
    _, home = people(factory, dash)
    found = admin_client.get("/admin/households", query_string={"q": typed}).text
    assert f">{home.code}<" in found
    assert home.code in admin_client.get("/admin/households.csv", query_string={"q": typed}).text


def test_admins_see_whole_numbers(admin_client, factory, dash):
    village, home = people(factory, dash)
    assert FULL in admin_client.get(f"/admin/households/{home.id}").text
    rows = list(csv.DictReader(io.StringIO(admin_client.get("/admin/messages.csv").text)))
    assert rows[0]["to"] == FULL
