"""Viewers must not recover what is masked: no prefix oracle, no number search, no alerts."""

import csv
import io

import pytest

from service import audit
from service.models import db

FULL = "+6281234567890"
MASKED = "+62812****7890"
OTHER = "+6281234500000"  # shares the first eight digits with FULL


@pytest.fixture
def trail(app):
    """Audit rows by two SMS senders and an admin."""
    audit.record(f"sms:{FULL}", "household.register", "household", 1, phone=FULL)
    audit.record(f"sms:{OTHER}", "household.register", "household", 2, phone=OTHER)
    audit.record("admin:ana", "village.add", "village", 1, name="Sakra")
    db.session.commit()


def shown_count(client, actor):
    page = client.get("/admin/audit", query_string={"actor": actor}).get_data(as_text=True)
    return page.count("household.register") + page.count("village.add")


@pytest.mark.parametrize("probe", [f"sms:{FULL[:k]}" for k in range(8, len(FULL) + 1)])
def test_the_actor_filter_is_no_prefix_oracle_for_viewers(viewer_client, trail, probe):
    assert shown_count(viewer_client, probe) == 0
    page = viewer_client.get("/admin/audit", query_string={"actor": probe}).text
    assert "digits of hidden numbers cannot be searched" in page
    exported = viewer_client.get("/admin/audit.csv", query_string={"actor": probe}).text
    assert list(csv.DictReader(io.StringIO(exported))) == []


def test_viewers_filter_by_role_or_by_the_masked_number(viewer_client, trail):
    assert shown_count(viewer_client, "sms:") == 2
    assert shown_count(viewer_client, "admin:") == 1
    assert shown_count(viewer_client, "admin:ana") == 1
    assert shown_count(viewer_client, f"sms:{MASKED}") == 1
    assert shown_count(viewer_client, "sms:+62812****0000") == 1


def test_admins_still_filter_by_any_prefix(admin_client, trail):
    assert shown_count(admin_client, "sms:+62812345") == 2
    assert shown_count(admin_client, f"sms:{FULL}") == 1


WRITINGS = [
    "0812 3456 7890",
    "0812-3456-7890",
    "+62 812 3456 7890",
    "+62 812-3456-7890",
    "(0812) 3456 7890",
    "081234567890",
    "6281234567890",
    "0812.3456.7890",
]


@pytest.mark.parametrize("written", WRITINGS)
def test_numbers_written_any_way_in_a_body_are_masked_for_viewers(
    viewer_client, factory, dash, written
):
    village = factory.village("Kanigoro")
    dash.message(to="+6281300000001", village=village, body=f"Telepon Bu Ani di {written} ya")
    page = viewer_client.get("/admin/messages").text
    rows = list(csv.DictReader(io.StringIO(viewer_client.get("/admin/messages.csv").text)))
    for text in (page, rows[0]["body"]):
        assert written not in text and "3456" not in text
        assert MASKED in text


@pytest.fixture
def reported(factory, handle):
    """A caregiver's report of harm, handled for real: hotline reply, facilitator alert, audit."""
    village = factory.village("Kanigoro")
    factory.household(village, phone="+6281300000001", name="Mbah Sumini")
    factory.facilitator(village, phone="+6281100000001")
    handle("+6281300000001", "tolong cucu saya dipukul tetangga")


def test_safeguarding_alerts_are_shown_to_admins_only(viewer_client, reported):
    for path in ("/admin/messages", "/admin/messages.csv", "/admin/audit", "/admin/audit.csv"):
        text = viewer_client.get(path).get_data(as_text=True)
        assert "dipukul" not in text and "Mbah Sumini" not in text, path
    assert "shown to admins only" in viewer_client.get("/admin/messages?kind=alert").text
    assert "safeguarding.alert" in viewer_client.get("/admin/audit").text  # that it happened


def test_admins_read_the_safeguarding_alerts(admin_client, reported):
    assert "dipukul" in admin_client.get("/admin/messages?kind=alert").text
    assert "dipukul" in admin_client.get("/admin/audit").text
