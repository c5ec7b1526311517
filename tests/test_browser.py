"""In a real browser (Playwright, Debian's Chromium): sign in, read the overview, use the phone."""

import re

import pytest

from service.models import Household, db
from tests.fixtures.dashboard import PASSWORD

pytestmark = pytest.mark.browser

FACILITATOR = "+6281100000001"
NEW_CAREGIVER = "+6281299990001"


def sign_in(page, base, username="ana"):
    page.goto(f"{base}/admin/")
    assert "/admin/login" in page.url
    page.get_by_role("button", name="English").click()  # the sign-in page opens in Indonesian
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/admin/")


def use_phone(page, number):
    page.get_by_label("…or any number").fill(number)
    page.get_by_role("button", name="Use this phone").click()
    page.wait_for_load_state()


def press(page, keys):
    """Type on the on-screen keypad, one key at a time, as a trainer would."""
    for key in keys:
        page.locator(f'.keys [data-key="{key}"]').click()


def screen(page):
    return page.locator("section.screen").inner_text()


def test_sign_in_and_read_the_overview_with_its_charts(
    live_server, browser_page, make_account, factory
):
    make_account("ana")
    factory.household(factory.village("Kanigoro"))
    page = browser_page
    sign_in(page, live_server)
    assert page.get_by_role("heading", name="Programme overview").is_visible()
    assert page.locator("svg.chart").count() == 3
    for chart in page.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 40  # drawn, not collapsed
    assert page.get_by_text("Active caregivers").is_visible()
    page.get_by_role("link", name="Villages").first.click()
    assert page.get_by_role("link", name="Kanigoro").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server}/admin/villages")
    assert "/admin/login" in page.url


def test_a_wrong_password_shows_a_message(live_server, browser_page, make_account):
    make_account("ana")
    page = browser_page
    page.goto(f"{live_server}/admin/login?lang=en")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."


def test_a_ussd_session_on_the_simulated_phone(live_server, browser_page, make_account, factory):
    make_account("ana")
    factory.household(factory.village("Kanigoro"), phone=NEW_CAREGIVER, name="Mbah Karsih")
    page = browser_page
    sign_in(page, live_server)
    page.goto(f"{live_server}/simulator/")
    use_phone(page, "0812 9999 0001")
    press(page, "*384*123#")
    assert page.locator("#entry").input_value() == "*384*123#"
    page.get_by_role("button", name="Call or send").click()
    page.wait_for_selector("#ussd-text")
    menu = screen(page)
    assert re.search(r"^1 ", menu, re.M), menu
    press(page, "1")
    page.get_by_role("button", name="Call or send").click()
    page.wait_for_load_state()
    lesson = screen(page)
    assert lesson != menu and lesson.strip()
    page.get_by_role("button", name="End or cancel").click()
    page.wait_for_load_state()
    assert "Dial *384*123#" in screen(page)


def test_an_sms_registration_from_the_simulated_phone(
    live_server, browser_page, make_account, factory, run_jobs
):
    make_account("ana")
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR, name="Bu Siti Rahayu")
    page = browser_page
    sign_in(page, live_server)
    page.goto(f"{live_server}/simulator/")
    page.get_by_label("Someone in the demo").select_option(FACILITATOR)
    page.get_by_role("button", name="Use this phone").click()
    page.get_by_role("link", name="Write SMS").click()
    page.get_by_label("Message").fill("DAFTAR Mbah Karsih 0812 9999 0001 nenek 2019-03")
    page.locator("section.screen").get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"screen=inbox"))
    run_jobs()  # what `asuh worker` does under `make run`
    page.reload()
    home = db.session.scalar(db.select(Household).order_by(Household.id.desc()))
    assert home is not None and home.caregivers[0].phone == NEW_CAREGIVER
    assert home.code in screen(page)
    use_phone(page, "0812 9999 0001")
    page.locator("section.screen").get_by_role("link", name="Inbox").click()
    assert "welcome" in screen(page)
