"""Personal data (Indonesia's Law 27/2022): erasure, retention, access, consent records."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.models import (
    AuditLog,
    Caregiver,
    Child,
    Enrollment,
    Household,
    InboundMessage,
    OutboxMessage,
    db,
    utcnow,
)
from service.outbox import queue_sms
from service.retention import blank_old_texts
from tests.fixtures.dashboard import form_token
from tests.fixtures.sms import FACILITATOR as FAC  # the `village` fixture's facilitator
from tests.fixtures.sms import post_inbound

PHONE = "+6281377700031"
TEEN = "+6281377700032"


@pytest.fixture
def home(village, sms):
    """A household registered by SMS, with a teen on their own track and some SMS both ways."""
    sms(FAC, f"daftar mbah sumini {PHONE} nenek 2012-05 2019")
    household = db.session.scalar(select(Household))
    sms(FAC, f"remaja {household.code} 2012 {TEEN}")
    sms(PHONE, "setuju")
    sms(PHONE, "anak saya sakit demam")
    db.session.expire_all()
    return db.session.get(Household, household.id)


def count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)).where(*where))


def everything_text():
    """Every text column where personal data could hide, as one string."""
    db.session.expire_all()
    parts = []
    for model, columns in (
        (Caregiver, ("name", "phone")),
        (Child, ("name", "phone", "birth_year", "birth_month")),
        (OutboxMessage, ("to_phone", "body")),
        (InboundMessage, ("from_phone", "text", "raw")),
        (AuditLog, ("actor", "detail")),
    ):
        for row in db.session.scalars(select(model)):
            parts += [str(getattr(row, column)) for column in columns]
    return " ".join(parts)


def test_consent_time_and_channel_are_recorded_and_exported(home, runner):
    caregiver, teen = home.caregivers[0], next(c for c in home.children if c.phone)
    assert caregiver.consent_at is not None and caregiver.consent_via == "sms"
    assert teen.consent_at is not None and teen.consent_via == "sms"
    result = runner.invoke(args=["household", "export", home.code])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["caregivers"][0]["consent"]["via"] == "sms"
    assert data["children"][0]["consent"]["at"] == teen.consent_at.isoformat()
    assert data["caregivers"][0]["phone"] == PHONE and data["caregivers"][0]["name"]
    assert any("sakit demam" in m["text"] for m in data["messages_received"])
    assert any(m["kind"] == "welcome" for m in data["messages_sent"])
    assert {e["track"] for e in data["enrollments"]} == {"caregiver", "adolescent"}
    assert all("last_lesson" in e for e in data["enrollments"])
    assert "household.register" in {a["action"] for a in data["audit"]}


def test_the_dashboard_shows_consent(home, admin_client):
    html = admin_client.get(f"/admin/households/{home.id}").get_data(as_text=True)
    assert "Consent " in html and "via sms" in html and "caregiver's consent" in html


def test_export_of_an_unknown_code_is_a_clear_error(app, runner):
    result = runner.invoke(args=["household", "export", "999999"])
    assert result.exit_code != 0 and "no household with code" in result.output


def test_erase_asks_first_and_no_changes_nothing(home, runner):
    result = runner.invoke(args=["household", "erase", home.code], input="n\n")
    assert result.exit_code != 0 and "Erase the personal data" in result.output
    assert PHONE in everything_text()


def test_erase_removes_personal_data_keeps_counts_and_frees_the_number(home, runner, sms):
    before = {model: count(model) for model in (Household, Caregiver, Child, OutboxMessage)}
    inbound_before = count(InboundMessage)
    result = runner.invoke(args=["household", "erase", home.code, "--yes"])
    assert result.exit_code == 0, result.output
    assert f"household {home.code} erased" in result.output
    text = everything_text()
    for secret in (PHONE, TEEN, PHONE[-9:], "Sumini", "sakit demam", "2019"):
        assert secret not in text, text[max(0, text.find(secret) - 300) : text.find(secret) + 100]
    assert {m: count(m) for m in before} == before and count(InboundMessage) == inbound_before
    db.session.expire_all()
    household = db.session.get(Household, home.id)
    assert household.status == "inactive" and household.erased_at is not None
    assert {e.state for e in db.session.scalars(select(Enrollment))} == {"stopped"}
    assert (
        count(OutboxMessage, OutboxMessage.status == "pending", OutboxMessage.to_phone == "") == 0
    )
    erase = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.erase"))
    assert erase.actor == "cli" and erase.detail["people"] == 1 and erase.detail["children"] == 2
    replies = sms(FAC, f"daftar mbah sumini {PHONE} nenek 2019")  # the number is free again
    assert replies[0].startswith("Asuh: OK") and home.code not in replies[0]
    assert count(Household) == before[Household] + 1


def test_an_admin_erases_from_the_household_page(home, admin_client):
    page = f"/admin/households/{home.id}"
    assert "Erase personal data" in admin_client.get(page).get_data(as_text=True)
    token = form_token(admin_client, page)
    wrong = admin_client.post(f"{page}/erase", data={"confirm": "nope", "csrf_token": token})
    assert wrong.status_code == 302 and PHONE in everything_text()
    done = admin_client.post(f"{page}/erase", data={"confirm": home.code, "csrf_token": token})
    assert done.status_code == 302 and PHONE not in everything_text()
    erase = db.session.scalar(select(AuditLog).where(AuditLog.action == "household.erase"))
    assert erase.actor == "admin:ana"
    assert 'id="erased"' in admin_client.get(page).get_data(as_text=True)


def test_a_viewer_cannot_erase(home, viewer_client):
    page = f"/admin/households/{home.id}"
    assert "Erase personal data" not in viewer_client.get(page).get_data(as_text=True)
    token = form_token(viewer_client, page)
    refused = viewer_client.post(f"{page}/erase", data={"confirm": home.code, "csrf_token": token})
    assert refused.status_code == 403 and PHONE in everything_text()


def test_old_texts_are_blanked_after_the_retention_period_counts_kept(app, client):
    app.config["RETENTION_DAYS"] = 30
    old, new = utcnow() - timedelta(days=31), utcnow() - timedelta(days=29)
    for age, n in ((old, 1), (new, 2)):
        row = queue_sms(PHONE, f"pelajaran {n}", "lesson", f"k{n}")
        db.session.flush()
        row.status, row.created_at = "sent", age
        post_inbound(client, PHONE, f"halo {n}")
    waiting = queue_sms(PHONE, "belum terkirim", "reply", "k3")
    db.session.flush()
    waiting.created_at = old  # still to be sent: its text is needed
    db.session.commit()
    db.session.execute(
        InboundMessage.__table__.update()
        .where(InboundMessage.text == "halo 1")
        .values(created_at=old, state="processed")
    )
    db.session.commit()
    assert blank_old_texts() == (1, 1)
    db.session.expire_all()
    bodies = sorted(row.body for row in db.session.scalars(select(OutboxMessage)))
    assert bodies == ["", "Asuh: belum terkirim", "Asuh: pelajaran 2"]  # every SMS is branded
    texts = sorted(row.text for row in db.session.scalars(select(InboundMessage)))
    assert texts == ["", "halo 2"] and count(InboundMessage) == 2
    assert blank_old_texts() == (0, 0)


def test_retention_defaults_to_a_year_and_runs_on_the_clock():
    from service.config import from_environment
    from workers.cron import SCHEDULE_TABLE

    assert from_environment()["RETENTION_DAYS"] == 365
    assert any(entry[:2] == ("workers.retention", "blank_old_texts") for entry in SCHEDULE_TABLE)
