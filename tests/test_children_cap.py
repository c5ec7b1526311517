"""One cap on the children a household lists, shared by SMS (DAFTAR, ANAK) and USSD."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from service.households import MAX_CHILDREN
from service.models import Child, Household, db
from tests.fixtures.sms import FACILITATOR as FAC  # the `village` fixture's facilitator

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
PHONE = "+6281377700011"


def years(n):
    return " ".join(str(2010 + i % 16) for i in range(n))


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_the_cap_is_eight():
    assert MAX_CHILDREN == 8


def test_daftar_with_200_birth_years_is_refused_with_a_clear_reply(village, handle):
    reply = handle(FAC, f"daftar mbah sumini 081234567890 nenek {years(200)}", now=NOW)
    assert "Paling banyak 8 anak" in reply and "200" in reply
    assert len(reply) <= 306  # two SMS at most, whatever was typed
    assert count(Household) == 0 and count(Child) == 0


def test_daftar_with_eight_children_is_fine(village, handle):
    handle(FAC, f"daftar mbah sumini 081234567890 nenek {years(8)}", now=NOW)
    assert count(Child) == 8


def test_anak_past_the_cap_is_refused_and_adds_nothing(village, factory, handle):
    household = factory.household(village, phone=PHONE, births=[(2012, None)] * 7)
    assert "Paling banyak 8 anak" in handle(FAC, f"anak {household.code} 2020 2021", now=NOW)
    assert count(Child) == 7
    handle(FAC, f"anak {household.code} 2020", now=NOW)
    assert count(Child) == 8


def test_english_reply(factory, handle):
    village = factory.village("Sukamaju", language="en")
    factory.facilitator(village, phone="+6281100000002", language="en")
    reply = handle("+6281100000002", f"reg sumini 081234567890 grandmother {years(9)}", now=NOW)
    assert "At most 8 children" in reply


def test_the_ussd_menu_refuses_a_ninth_child(ussd, factory):
    factory.household(phone=PHONE, births=[(2012, None)] * 8)
    session = ussd.dial(PHONE)
    session.press("3")
    while "98 " in session.text.splitlines()[-1]:  # the add option is on the last page
        session.press("98")
    session.press("1")
    assert session.screen == "children" and session.text.startswith("Paling banyak 8 anak.")
    assert count(Child) == 8
