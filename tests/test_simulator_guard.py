"""The simulator is a tool, not a back door: off in production, audited, careful with people."""

import pytest

from service import create_app
from service.models import AuditLog, db
from tests.fixtures.dashboard import sign_in
from tests.fixtures.sms import post_inbound
from tests.test_production import SAFE

DEMO_FACILITATOR = "+6281100000001"  # Bu Siti Rahayu of `asuh seed-demo`
REAL_FACILITATOR = "+6281177776666"
CAREGIVER = "+6281299990001"


def audit_rows(action=None):
    db.session.expire_all()
    query = db.select(AuditLog).order_by(AuditLog.id)
    if action:
        query = query.where(AuditLog.action == action)
    return db.session.scalars(query).all()


@pytest.fixture
def production_client(app_config, make_account):
    def build(**settings):
        make_account("ana")
        app = create_app({**app_config, **SAFE, **settings})
        client = app.test_client()
        assert sign_in(client, "ana").status_code == 302
        return client

    return build


def test_in_production_the_simulator_is_off(production_client):
    client = production_client()
    assert client.get("/simulator/").status_code == 404
    assert client.post("/simulator/sms", data={"text": "BANTUAN"}).status_code == 404
    assert b'href="/simulator/"' not in client.get("/admin/").data


def test_simulator_on_serves_it_in_production(production_client):
    client = production_client(SIMULATOR="on")
    assert client.get("/simulator/").status_code == 200
    assert b'href="/simulator/"' in client.get("/admin/").data


@pytest.fixture
def sim(admin_client, no_csrf):
    def post(path, **data):
        return admin_client.post(f"/simulator/{path}", data=data, follow_redirects=True)

    return post


def test_every_action_through_the_simulator_is_audited_with_the_admin(sim, factory):
    factory.household(phone=CAREGIVER, name="Mbah Karsih")
    sim("number", phone="0812 9999 0001")
    sim("press", key="call", entry="*384*123#")
    sim("press", key="call", entry="1")
    sim("sms", text="BANTUAN")
    rows = audit_rows()
    simulated = [row for row in rows if row.action.startswith("simulator.")]
    assert [row.action for row in simulated] == [
        "simulator.phone",
        "simulator.ussd",
        "simulator.ussd",
        "simulator.sms",
    ]
    for row in simulated:
        assert row.actor == f"admin:ana via simulator as {CAREGIVER}"
        assert row.detail["as_phone"] == CAREGIVER
    assert simulated[2].detail["text"] == "1"
    assert simulated[3].entity == "inbound" and simulated[3].entity_id is not None


def test_a_real_facilitators_number_needs_the_admins_confirmation(sim, factory, admin_client):
    factory.facilitator(phone=REAL_FACILITATOR, name="Pak Nyata")
    page = sim("number", pick=REAL_FACILITATOR).get_data(as_text=True)
    assert "belongs to Pak Nyata, a real facilitator" in page
    with admin_client.session_transaction() as session:
        assert (session.get("simulator") or {}).get("phone") != REAL_FACILITATOR
    assert audit_rows("simulator.phone") == []
    sim("number", pick=REAL_FACILITATOR, confirm="yes")
    with admin_client.session_transaction() as session:
        assert session["simulator"]["phone"] == REAL_FACILITATOR
    [row] = audit_rows("simulator.phone")
    assert row.detail["confirmed"] is True and row.detail["role"] == "facilitator"


def test_the_demo_facilitator_needs_no_confirmation_in_development(sim, factory, admin_client):
    factory.facilitator(phone=DEMO_FACILITATOR, name="Bu Siti Rahayu")
    sim("number", pick=DEMO_FACILITATOR)
    with admin_client.session_transaction() as session:
        assert session["simulator"]["phone"] == DEMO_FACILITATOR


def test_in_production_even_the_demo_facilitator_needs_confirmation(production_client, factory):
    factory.facilitator(phone=DEMO_FACILITATOR, name="Bu Siti Rahayu")
    client = production_client(SIMULATOR="on")
    client.application.config["WTF_CSRF_ENABLED"] = False  # signed in; CSRF is not the point
    page = client.post("/simulator/number", data={"pick": DEMO_FACILITATOR}, follow_redirects=True)
    assert "a real facilitator" in page.get_data(as_text=True)
    assert audit_rows("simulator.phone") == []


def test_what_a_borrowed_phone_changes_by_ussd_is_the_admins_doing(sim, factory):
    factory.household(phone=CAREGIVER, name="Mbah Karsih")
    sim("number", phone=CAREGIVER)
    sim("press", key="call", entry="*384*123#")
    sim("press", key="call", entry="5")  # settings
    sim("press", key="call", entry="1")  # pause lessons
    [paused] = audit_rows("caregiver.paused")
    assert paused.actor == f"admin:ana via simulator as {CAREGIVER}"


def test_what_a_borrowed_phone_changes_by_sms_is_the_admins_doing(sim, factory, run_jobs):
    factory.household(phone=CAREGIVER, name="Mbah Karsih")
    sim("number", phone=CAREGIVER)
    sim("sms", text="STOP")
    run_jobs()  # the worker carries the SMS out, as with a real one
    [stop] = audit_rows("optout.stop")
    assert stop.actor == f"admin:ana via simulator as {CAREGIVER}"


def test_the_same_sms_from_the_real_phone_is_the_phones_doing(client, factory, run_jobs):
    factory.household(phone=CAREGIVER, name="Mbah Karsih")
    post_inbound(client, CAREGIVER, "STOP", provider_id="sim-looks-simulated")
    run_jobs()
    [stop] = audit_rows("optout.stop")
    assert stop.actor == f"sms:{CAREGIVER}"  # a look-alike id names no admin
