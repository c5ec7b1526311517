"""The menu engine: paging, back/home, hints, replay after Redis loses a session, Redis down,
the token guard, the session store, the screen registry and random input."""

import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import menus.data.caregiver
from menus.context import ROOTS, Hop
from menus.engine import _layout as layout
from menus.engine import page_budget
from menus.paging import paginate
from menus.registry import REGISTRY, DuplicateScreen, Registry, Screen
from menus.store import State
from menus.text import CATALOGS
from messages.gsm import is_gsm
from service import create_app
from service.i18n import load_domain, missing_translations
from service.languages import load
from service.models import Child, Household, OutboxMessage, db
from service.redis_client import get_redis
from service.redis_keys import USSD_SESSION, key
from tests.fixtures.sms import form_bytes
from tests.fixtures.ussd import TOKEN, UssdSession
from workers.gateway.africastalking import USSD_SCREEN_CHARS

PAGE_BUDGET = page_budget(USSD_SCREEN_CHARS)  # what a page may use on Africa's Talking

PHONE = "+6281377700001"


@pytest.fixture
def household(factory):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone="+6281100000001")
    return factory.household(village, phone=PHONE, name="Mbah Sumini")


def stored_state(session):
    return get_redis().get(key(USSD_SESSION, session_id=session.session_id))


# ---------------------------------------------------------------- paging


def test_pages_fit_the_budget_and_keep_words_whole():
    text = " ".join(f"kata{n}" for n in range(120))
    pages = paginate(text, [], "1 Ya\n2 Belum\n0 Kembali", "98 Lanjut 0 Kembali", 100)
    assert len(pages) > 3 and all(len(page.text) <= 100 for page in pages)
    assert all(page.text.endswith("98 Lanjut 0 Kembali") for page in pages[:-1])
    assert pages[-1].text.endswith("1 Ya\n2 Belum\n0 Kembali")
    body = " ".join(" ".join(page.text.splitlines()[:-1]) for page in pages[:-1])
    assert body.split() + pages[-1].text.split("\n")[0].split() == text.split()


def test_list_items_are_never_split_and_are_numbered_on_each_page():
    items = [f"Desa nomor {n}" for n in range(30)]
    pages = paginate("Pilih desa:", items, "0 Kembali", "98 Lanjut 0 Kembali", 80)
    shown = [line for page in pages for line in page.text.splitlines() if line[:1].isdigit()]
    shown = [line for line in shown if not line.startswith(("98", "0 "))]
    assert [line.split(" ", 1)[1] for line in shown] == items
    assert all(page.text.count("\n1 ") <= 1 for page in pages)
    assert sum(page.item_count for page in pages) == 30
    assert pages[1].first_item == pages[0].item_count


def test_a_huge_word_is_cut_instead_of_overflowing():
    pages = paginate("x" * 500, [], "0 Back", "98 More 0 Back", 100)
    assert all(len(page.text) <= 100 for page in pages) and len(pages) >= 5


# ---------------------------------------------------------------- registry and catalogs


def test_the_registry_refuses_a_second_screen_with_a_taken_name():
    registry = Registry()
    registry.add(Screen("main", title="main.title"))
    with pytest.raises(DuplicateScreen):
        registry.add(Screen("main", title="exit.bye"))


def test_every_option_leads_to_a_registered_screen():
    for screen in REGISTRY.screens():
        for option in screen.options:
            assert option.goto in REGISTRY or option.do, (screen.name, option.label)


def catalog_keys(screen):
    keys = [screen.title, screen.prompt, screen.empty] + [o.label for o in screen.options]
    return [k for k in keys if k]


MENU_LANGUAGES = [language.code for language in load().offering("menus")]


def test_every_menu_text_exists_in_the_source_languages_and_is_gsm():
    catalogs = load_domain(str(CATALOGS))
    assert {x.code for x in load().sources()} <= set(catalogs) <= set(load().codes())
    assert missing_translations(CATALOGS) == []
    for screen in REGISTRY.screens():
        for name in catalog_keys(screen):
            assert name in catalogs["id"], (screen.name, name)
    for texts in catalogs.values():
        for name, text in texts.items():
            assert all(is_gsm(c) for c in text), name


def test_every_hint_fits_the_room_pages_leave_for_it():
    from menus.engine import HINT_ROOM

    for texts in load_domain(str(CATALOGS)).values():
        for name, text in texts.items():
            if name.startswith("hint."):
                assert len(text) + 1 <= HINT_ROOM, name


@pytest.mark.parametrize("lang", MENU_LANGUAGES)
def test_every_fixed_menu_fits_one_page_with_its_options(app, lang):
    """Nobody should have to page to find option 1 (dynamic screens are checked by visits)."""
    for screen in REGISTRY.screens():
        if screen.body or screen.items:
            continue
        depth = 1 if screen.name in ROOTS.values() else 3
        state = State(phone=PHONE, role="guest", lang=lang, stack=[["x", 0, None]] * depth)
        hop = Hop(state, now=None, config=app.config)
        pages, _ = layout(hop, screen, state.stack[-1], PAGE_BUDGET)
        assert len(pages) == 1 and len(pages[0].text) <= PAGE_BUDGET, (screen.name, pages)


# ---------------------------------------------------------------- navigation


def test_zero_goes_back_a_page_then_a_screen_and_double_zero_home(ussd, household):
    session = ussd.dial(PHONE)
    session.press("1", "98")
    assert (session.screen, session.page) == ("lesson", 1)
    session.press("0")
    assert (session.screen, session.page) == ("lesson", 0)
    session.press("0")
    assert session.screen == "main"
    session.press("0")
    assert session.screen == "main" and not session.ended
    session.press("3", "1", "00")
    assert session.screen == "main"


def test_a_wrong_key_shows_the_same_screen_with_a_hint(ussd, household):
    session = ussd.dial(PHONE)
    menu = session.text
    for wrong in ["9", "abc", "", "98", "*", "1234567"]:
        session.press(wrong)
        assert session.screen == "main" and not session.ended
        assert session.text == "Pilihan tidak ada.\n" + menu
    session.press("3")
    assert session.screen == "children"


def test_a_retransmitted_hop_is_not_applied_twice(ussd, household):
    session = ussd.dial(PHONE)
    session.press("3", "1", "2020", "5")
    assert session.screen == "children.added"
    answered = session.reply
    session._post()  # the gateway sends the same text again
    assert session.reply == answered  # the same answer (kept from the first post)
    assert db.session.scalar(select(func.count(Child.id))) == 2


# ---------------------------------------------------------------- replay


@pytest.mark.parametrize(
    "path",
    [
        ["1", "98"],  # a lesson page
        ["1", "98", "98", "0"],  # paging back
        ["3", "1"],  # a form step
        ["5", "3"],
        ["9", "2"],  # a wrong key on the way
    ],
)
def test_a_session_flushed_from_redis_lands_on_the_same_screen(ussd, household, path):
    lost = ussd.dial(PHONE)
    lost.press(*path[:-1])
    get_redis().flushdb()
    assert stored_state(lost) is None
    lost.press(path[-1])
    kept = ussd.dial(PHONE)
    kept.press(*path)
    assert lost.reply == kept.reply
    assert (lost.screen, lost.page) == (kept.screen, kept.page)


def test_replay_does_not_repeat_what_earlier_hops_wrote(ussd, household):
    session = ussd.dial(PHONE)
    session.press("3", "1", "2020", "5")
    get_redis().flushdb()
    session.press("0")
    assert session.screen == "children" and "05/2020" in session.text
    assert db.session.scalar(select(func.count(Child.id))) == 2


def test_a_registration_flushed_midway_keeps_its_answers(ussd, household):
    session = ussd.dial("+6281399900001")
    session.press("1", "Siti", "1", "1", "2019")
    get_redis().flushdb()
    session.press("2", "1")
    assert session.screen == "reg.done"
    assert db.session.scalar(select(func.count(Household.id))) == 2


def test_a_state_for_another_path_is_replaced_by_a_replay(ussd, household):
    session = ussd.dial(PHONE)
    session.press("3")
    session.keys = ["5"]  # the same session id with a different path
    session._post()
    assert session.screen == "settings"


def test_a_state_naming_a_screen_no_longer_declared_is_replayed(ussd, household):
    session = ussd.dial(PHONE)
    session.press("3")
    name = key(USSD_SESSION, session_id=session.session_id)
    get_redis().set(name, stored_state(session).replace(b'"children"', b'"old.screen"'))
    session.press("1")
    assert session.screen == "children.year"


def test_session_state_is_small_and_expires(ussd, app, household):
    session = ussd.dial("+6281399900001")
    session.press("1", "Siti Aminah binti Abdullah", "1", "1")
    for year in range(2010, 2017):
        session.press(str(year), "1")
    stored = stored_state(session)
    assert stored is not None and len(stored) < 1024
    ttl = get_redis().ttl(key(USSD_SESSION, session_id=session.session_id))
    assert 180 <= ttl <= max(180, app.config["USSD_SESSION_TTL"])
    assert "Siti" in stored.decode() and "Tahun lahir" not in stored.decode()


def test_a_finished_session_is_forgotten(ussd, household):
    session = ussd.dial(PHONE)
    session.press("7")
    assert session.ended and stored_state(session) is None


def test_the_end_of_session_event_frees_the_state(client, ussd, household):
    session = ussd.dial(PHONE)
    assert stored_state(session) is not None
    response = client.post(
        f"/ussd/events?token={TOKEN}",
        data={"sessionId": session.session_id, "status": "Success", "phoneNumber": PHONE},
    )
    assert response.status_code == 200 and stored_state(session) is None


# ---------------------------------------------------------------- failures


def test_redis_down_ends_politely_in_the_callers_language(app_config, factory):
    village = factory.village("Kanigoro")
    factory.household(village, phone=PHONE, language="en")
    down = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    client = down.test_client()
    for phone, expected in [(PHONE, "Please try again"), ("+6281399900001", "coba lagi")]:
        response = client.post(
            f"/ussd?token={TOKEN}",
            data={"sessionId": "s1", "phoneNumber": phone, "text": "1", "serviceCode": "*1#"},
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and response.mimetype == "text/plain"
        assert body.startswith("END ") and expected in body and len(body) <= 182
    events = client.post(f"/ussd/events?token={TOKEN}", data={"sessionId": "s1"})
    assert events.status_code == 200


def test_a_screen_that_fails_ends_politely_and_is_logged(ussd, household, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(menus.data.caregiver, "children", broken)
    # Alembic's fileConfig (run by the test migration) disables loggers that existed before it
    monkeypatch.setattr(logging.getLogger("asuh.ussd"), "disabled", False)
    session = ussd.dial(PHONE)
    session.press("3")
    assert session.ended and "coba lagi" in session.text
    assert "hop failed" in caplog.text


def test_an_invalid_phone_number_or_overlong_path_ends_politely(ussd, household):
    assert ussd.dial("12").ended
    long_session = ussd.dial(PHONE)
    long_session.press(*["98"] * 130)
    assert long_session.ended and "terlalu panjang" in long_session.text


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_the_token_guard_refuses_and_changes_nothing(client, household, token):
    query = "" if token is None else f"?token={token}"
    for path in ("/ussd", "/ussd/events"):
        response = client.post(
            path + query,
            data={"sessionId": "guard", "phoneNumber": "+6281399900001", "text": "1*Siti*1*1"},
        )
        assert response.status_code == 403
    assert get_redis().keys("*") == []
    assert db.session.scalar(select(func.count(Household.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


# ---------------------------------------------------------------- random input

KEYS = st.one_of(
    st.sampled_from(["0", "00", "98", "1", "2", "3", "4", "5", "6", "7", "8", "9", "2019"]),
    st.text(max_size=30),
    st.just("*" * 20),
    st.text(alphabet="0123456789*#", max_size=200),
)
PHONES = st.one_of(
    st.just(PHONE),
    st.just("+6281100000001"),
    st.from_regex(r"\+628[1-9][0-9]{7,9}", fullmatch=True),
    st.text(max_size=20),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    keys=st.lists(KEYS, max_size=25),
    phone=PHONES,
    session_id=st.text(max_size=40),
    tail=st.one_of(st.text(max_size=40), st.text(min_size=3000, max_size=5000)),
)
def test_any_input_gets_a_valid_answer(client, household, keys, phone, session_id, tail):
    session = UssdSession(client, phone, [], session_id=session_id)
    session.dial()
    for key_ in keys:
        session.press(key_)
    session.keys.append(tail)
    if form_bytes(session.form()) > client.application.config["MAX_WEBHOOK_BYTES"]:
        response = client.post(f"/ussd?token={TOKEN}", data=session.form())
        assert response.status_code == 413  # no gateway sends this much: refused unread
        return
    session._post()  # UssdSession asserts 200, text/plain, CON/END and <= 182 characters
    assert re.match(r"^(CON|END) ", session.reply)
