"""`asuh ussd PHONE`: the terminal simulator walks the same engine as POST /ussd."""

from sqlalchemy import select

from service.models import Caregiver, db

PHONE = "+6281377700001"


def test_the_simulator_walks_the_menu_until_it_ends(runner, factory):
    factory.household(factory.village("Kanigoro"), phone=PHONE)
    result = runner.invoke(args=["ussd", "081377700001"], input="4\n2\n0\n7\n")
    assert result.exit_code == 0, result.output
    assert "1 Pelajaran minggu ini" in result.output
    assert "Language changed: English." in result.output
    assert result.output.rstrip().endswith("Thank you for using Asuh. Goodbye!")
    assert db.session.scalar(select(Caregiver.language)) == "en"


def test_the_simulator_stops_at_end_of_input(runner, factory):
    factory.household(factory.village("Kanigoro"), phone=PHONE)
    result = runner.invoke(args=["ussd", PHONE], input="1\n98\n")
    assert result.exit_code == 0 and "98 Lanjut" in result.output


def test_the_simulator_refuses_a_bad_number(runner):
    result = runner.invoke(args=["ussd", "not-a-phone"])
    assert result.exit_code != 0 and "not a phone number" in result.output
    assert "Traceback" not in result.output
