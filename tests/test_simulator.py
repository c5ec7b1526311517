"""The phone simulator drives the real USSD handler and the real inbound SMS pipeline."""

import html
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.models import Household, InboundMessage, OutboxMessage, db, utcnow
from tests.conftest import TOKEN

FACILITATOR = "+6281100000001"
NEW_CAREGIVER = "+6281299990001"
REGISTER = "DAFTAR Mbah Karsih 0812 9999 0001 nenek 2019-03"


def screen_text(response):
    """What the phone's screen shows, as text."""
    page = response.get_data(as_text=True)
    found = re.search(r'<section class="screen"[^>]*>(.*?)</section>', page, re.S)
    text = re.sub(r"<(textarea|input)[^>]*>", " ", found.group(1)) if found else ""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def notice(response):
    found = re.search(r'<p class="note" role="status">(.*?)</p>', response.get_data(as_text=True))
    return html.unescape(found.group(1)) if found else None


def real_ussd(client, phone, text, session_id="direct-session"):
    """The same hop straight to POST /ussd, to compare with what the simulator shows."""
    response = client.post(
        "/ussd",
        query_string={"token": TOKEN},
        data={
            "sessionId": session_id,
            "serviceCode": "*384*123#",
            "phoneNumber": phone,
            "text": text,
        },
    )
    return response.get_data(as_text=True)


@pytest.fixture
def phone(admin_client, no_csrf):
    """The simulator in a signed-in admin's browser: phone.use(number), phone.press(key, typed)."""

    class Phone:
        client = admin_client

        def use(self, number):
            data = {"phone": number}
            return admin_client.post("/simulator/number", data=data, follow_redirects=True)

        def press(self, key, entry=None):
            """A key; `entry` is what the screen's input holds (None: as the page left it)."""
            data = {"key": key} if entry is None else {"key": key, "entry": entry}
            return admin_client.post("/simulator/press", data=data, follow_redirects=True)

        def dial(self, code="*384*123#"):
            return self.press("call", code)

        def sms(self, text):
            return admin_client.post("/simulator/sms", data={"text": text}, follow_redirects=True)

        def state(self):
            with admin_client.session_transaction() as session:
                return dict(session.get("simulator") or {})

        def screen(self, name):
            return admin_client.get("/simulator/", query_string={"screen": name})

    return Phone()


def test_the_simulator_page_is_a_phone_with_a_keypad(admin_client):
    page = admin_client.get("/simulator/").get_data(as_text=True)
    assert 'aria-label="Keypad"' in page
    for key in "0123456789*#":
        assert f'name="key" value="{key}"' in page
    assert "No SIM" in page


def test_a_demo_person_or_any_number_can_be_chosen(phone, factory):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR, name="Bu Siti Rahayu")
    page = phone.client.get("/simulator/").get_data(as_text=True)
    assert f'value="{FACILITATOR}"' in page and "Bu Siti Rahayu" in page
    response = phone.client.post(
        "/simulator/number", data={"pick": FACILITATOR}, follow_redirects=True
    )
    assert "Bu Siti Rahayu" in screen_text(response)
    assert phone.use("0812 9999 0001").status_code == 200
    assert phone.state()["phone"] == NEW_CAREGIVER
    assert "not a phone number" in notice(phone.use("12345"))
    assert phone.state()["phone"] == NEW_CAREGIVER


def test_dialling_the_code_shows_what_the_real_ussd_handler_answers(phone, factory):
    factory.household(phone=NEW_CAREGIVER, name="Mbah Karsih")
    phone.use(NEW_CAREGIVER)
    shown = screen_text(phone.dial())
    expected = real_ussd(phone.client, NEW_CAREGIVER, "")
    assert expected.startswith("CON ")
    assert expected[4:].strip() in shown
    state = phone.state()
    assert state["ussd"]["open"] is True and state["ussd"]["text"] == ""
    assert state["ussd"]["id"].startswith("sim-")


def test_keys_accumulate_into_the_text_path_of_one_session(phone, factory):
    factory.household(phone=NEW_CAREGIVER, name="Mbah Karsih")
    phone.use(NEW_CAREGIVER)
    phone.dial()
    session_id = phone.state()["ussd"]["id"]
    shown = screen_text(phone.press("call", "1"))
    assert phone.state()["ussd"]["text"] == "1"
    assert real_ussd(phone.client, NEW_CAREGIVER, "1", "other-session")[4:].strip() in shown
    phone.press("0")  # typed on the keypad without JavaScript: kept as the entry
    assert phone.state()["entry"] == "0"
    phone.press("call")
    state = phone.state()
    assert state["ussd"]["text"] == "1*0" and state["ussd"]["id"] == session_id


def test_a_direct_dial_string_starts_deeper_in_the_menu(phone, factory):
    factory.household(phone=NEW_CAREGIVER, name="Mbah Karsih")
    phone.use(NEW_CAREGIVER)
    shown = screen_text(phone.dial("*384*123*1#"))
    assert phone.state()["ussd"]["text"] == "1"
    assert real_ussd(phone.client, NEW_CAREGIVER, "1", "direct-2")[4:].strip() in shown


def test_an_unknown_code_is_not_sent_to_the_handler(phone, factory):
    phone.use(NEW_CAREGIVER)
    response = phone.dial("*123#")
    assert "Unknown code" in notice(response)
    assert phone.state()["ussd"] is None


def test_the_red_key_hangs_up(phone, factory):
    factory.household(phone=NEW_CAREGIVER, name="Mbah Karsih")
    phone.use(NEW_CAREGIVER)
    phone.dial()
    response = phone.press("end")
    assert phone.state()["ussd"] is None
    assert "Dial *384*123#" in screen_text(response)


def test_delete_removes_the_last_typed_key(phone):
    phone.use(NEW_CAREGIVER)
    phone.press("del", "*384*12")
    assert phone.state()["entry"] == "*384*1"


def test_nothing_happens_before_a_number_is_chosen(phone):
    response = phone.dial()
    assert "Choose whose phone" in notice(response)


def test_an_sms_goes_through_the_real_inbound_pipeline(phone, factory, run_jobs):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR, name="Bu Siti Rahayu")
    phone.use(FACILITATOR)
    response = phone.sms("BANTUAN")
    assert "No worker is running" in notice(response)
    stored = db.session.scalar(
        db.select(InboundMessage).where(InboundMessage.from_phone == FACILITATOR)
    )
    assert stored.text == "BANTUAN" and stored.provider_id.startswith("sim-")
    run_jobs()
    replies = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.to_phone == FACILITATOR)
    ).all()
    assert replies, "the help keyword should be answered"
    inbox = phone.screen("inbox").get_data(as_text=True)
    assert html.escape(replies[0].body[:30]) in inbox or replies[0].body[:30] in html.unescape(
        inbox
    )


def test_the_inbox_lists_sms_to_that_number_newest_first_with_status(phone, dash):
    dash.message(
        to=NEW_CAREGIVER,
        body="Selamat datang di Asuh",
        kind="welcome",
        created_at=utcnow() - timedelta(minutes=5),
    )
    dash.message(to=NEW_CAREGIVER, body="Pelajaran 1: waktu berdua", status="sent")
    dash.message(to="+6281300000099", body="Untuk orang lain")
    phone.use(NEW_CAREGIVER)
    text = screen_text(phone.screen("inbox"))
    assert text.index("Pelajaran 1") < text.index("Selamat datang")
    assert "sent" in text and "delivered" in text
    assert "orang lain" not in text


def test_the_whole_demo_register_by_sms_then_dial_in_as_the_caregiver(
    phone, factory, run_jobs, runner
):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR, name="Bu Siti Rahayu")
    phone.use(FACILITATOR)
    phone.sms(REGISTER)
    run_jobs()
    home = db.session.scalar(db.select(Household).order_by(Household.id.desc()))
    assert home is not None and home.caregivers[0].phone == NEW_CAREGIVER
    assert home.code in screen_text(phone.screen("inbox"))  # the facilitator gets the code

    phone.use(NEW_CAREGIVER)
    menu = real_ussd(phone.client, NEW_CAREGIVER, "", "caregiver-direct")
    assert menu.startswith("CON ") and menu[4:].strip() in screen_text(phone.dial())
    phone.press("end")
    kinds = [
        m.kind
        for m in db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.to_phone == NEW_CAREGIVER)
        )
    ]
    assert "welcome" in kinds

    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo("Asia/Jakarta")).date()
    morning = datetime.combine(tomorrow, time(8, 0), tzinfo=ZoneInfo("Asia/Jakarta"))
    result = runner.invoke(args=["dispatch", "--now", morning.astimezone(UTC).isoformat()])
    assert result.exit_code == 0, result.output
    run_jobs()
    inbox = screen_text(phone.screen("inbox"))
    assert "lesson" in inbox and "welcome" in inbox
