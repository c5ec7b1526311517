"""Screenshots of a lived-in demo (overview in Indonesian and English, simulator) and the
narrow-screen layout in both languages.

The PNGs go to a temporary folder; `ASUH_SCREENSHOTS=docs pytest tests/test_browser_screenshots.py`
writes them to docs/ for the README.
"""

import os
import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from service.cli.seed import DEMO_LOGIN
from service.models import (
    Attendance,
    CallbackRequest,
    Caregiver,
    Enrollment,
    Household,
    Meeting,
    OptOut,
    OutboxMessage,
    Village,
    db,
    utcnow,
)

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = ("/admin/", "/admin/villages", "/admin/messages", "/admin/content", "/simulator/")
SHOWN_CAREGIVER = "+6281200000011"  # Mbah Sumini, whose phone the simulator screenshot shows
DELIVERY = {"Kanigoro": 0.95, "Sakra": 0.86, "Oelnasi": 0.64}  # signal is poor in the hills


def lived_in_demo(runner, households=240, weeks=12, seed=7):
    """`asuh seed-demo` plus twelve weeks of history: enrollments, lessons, meetings, costs."""
    assert runner.invoke(args=["seed-demo", "--households", str(households)]).exit_code == 0
    rng, now = random.Random(seed), utcnow()
    spread_enrollments(rng, now, weeks)
    villages = {v.name: v for v in db.session.scalars(select(Village))}
    carers = db.session.execute(select(Caregiver.phone, Household.village_id).join(Household)).all()
    carers = [carer for carer in carers if carer.phone != SHOWN_CAREGIVER]
    rows = [
        lesson_row(rng, now, phone, village_id, villages, weeks, n)
        for n, (phone, village_id) in enumerate(carers * 4)
    ]
    db.session.add_all(row for row in rows if row is not None)
    add_meetings(rng, now, villages.values())
    add_inbox(now, SHOWN_CAREGIVER, "Mbah Sumini", "Kanigoro")
    for phone in rng.sample([c.phone for c in carers], 5):
        db.session.add(OptOut(phone=phone, created_at=now - timedelta(days=rng.randint(0, 40))))
    db.session.commit()


def spread_enrollments(rng, now, weeks):
    """Households joined over the weeks, faster as the programme grew."""
    ids = db.session.scalars(select(Enrollment.id).order_by(Enrollment.id)).all()
    for index, enrollment_id in enumerate(ids):
        back = int((weeks * 7 + 30) * (1 - (index / len(ids)) ** 0.7)) + rng.randint(0, 3)
        db.session.execute(
            update(Enrollment)
            .where(Enrollment.id == enrollment_id)
            .values(created_at=now - timedelta(days=back))
        )


def lesson_row(rng, now, phone, village_id, villages, weeks, n):
    """One lesson some day in the last `weeks` weeks, delivered as often as the village's signal."""
    name = next((k for k, v in villages.items() if v.id == village_id), "Kanigoro")
    sent = now - timedelta(days=rng.uniform(0, weeks * 7 - 1))
    if rng.random() < 0.35 * (1 - (now - sent).days / (weeks * 7)):
        return None
    status = (
        "delivered" if rng.random() < DELIVERY.get(name, 0.9) else rng.choice(["failed", "sent"])
    )
    return OutboxMessage(
        idempotency_key=f"demo-{n}",
        to_phone=phone,
        body="Pelajaran minggu ini",
        kind="lesson",
        status=status,
        village_id=village_id,
        sent_at=sent,
        created_at=sent,
        segments=1,
        cost="IDR 250.00",
        cost_amount=250.0,
    )


def add_inbox(now, phone, name, village):
    """What a demo caregiver has received: the welcome and the first lessons, in real words."""
    from messages.lessons import load_catalog
    from service.brand import branded

    catalog = load_catalog()
    bodies = [("welcome", f"Selamat datang di Asuh, {name}! Menu Asuh: tekan *384*123#.")]
    bodies += [
        ("lesson", catalog.render("caregiver", n, "id", band="6-11", village=village, name=name))
        for n in range(3)
    ]
    for age, (kind, body) in enumerate(reversed(bodies)):
        at = now - timedelta(days=3 * age + 1)
        db.session.add(
            OutboxMessage(
                idempotency_key=f"demo-inbox-{kind}-{age}",
                to_phone=phone,
                body=branded(body),  # as the outbox writes every SMS
                kind=kind,
                status="delivered",
                sent_at=at,
                created_at=at,
                segments=2 if len(body) > 160 else 1,
            )
        )


def add_meetings(rng, now, villages):
    """A meeting every other week in each village, with some households present."""
    for village in villages:
        homes = db.session.scalars(select(Household.id).where(Household.village_id == village.id))
        homes = list(homes)
        for week in range(0, 12, 2):
            meeting = Meeting(
                village_id=village.id,
                place="Balai desa",
                starts_at=now - timedelta(weeks=week, days=rng.randint(1, 5)),
            )
            db.session.add(meeting)
            db.session.flush()
            present = rng.sample(homes, k=min(len(homes), rng.randint(8, 25)))
            db.session.add_all(Attendance(meeting_id=meeting.id, household_id=h) for h in present)
        carer = db.session.scalar(
            select(Caregiver).join(Household).where(Household.village_id == village.id).limit(1)
        )
        db.session.add(CallbackRequest(caregiver_id=carer.id, village_id=village.id))


def sign_in(page, base):
    """The demo officer, like every new account, reads the dashboard in Indonesian."""
    page.goto(f"{base}/admin/login")
    page.get_by_label("Nama pengguna").fill(DEMO_LOGIN[0])
    page.get_by_label("Kata sandi").fill(DEMO_LOGIN[1])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/admin/")


def switch_language(page, name):
    """Press the header's language button ("English" / "Bahasa Indonesia")."""
    page.locator("form.lang").get_by_role("button", name=name).click()
    page.wait_for_load_state()


def keep(path, name):
    """Copy a screenshot into docs/ when asked to."""
    if os.environ.get("ASUH_SCREENSHOTS") == "docs":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / name)


def test_screenshots_of_the_overview_and_the_simulator(live_server, chromium, runner, tmp_path):
    lived_in_demo(runner)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    sign_in(page, live_server)
    assert page.get_by_role("heading", name="Ringkasan program").is_visible()
    page.screenshot(path=tmp_path / "overview.png", full_page=True)
    keep(tmp_path / "overview.png", "overview.png")
    switch_language(page, "English")
    assert page.get_by_role("heading", name="Programme overview").is_visible()
    page.screenshot(path=tmp_path / "overview-en.png", full_page=True)
    keep(tmp_path / "overview-en.png", "overview-en.png")

    page.goto(f"{live_server}/simulator/")
    page.get_by_label("Someone in the demo").select_option(SHOWN_CAREGIVER)
    page.get_by_role("button", name="Use this phone").click()
    page.locator("#entry").fill("*384*123#")
    page.get_by_role("button", name="Call or send").click()
    page.wait_for_selector("#ussd-text")
    page.screenshot(path=tmp_path / "simulator.png", full_page=True)
    keep(tmp_path / "simulator.png", "simulator.png")
    context.close()
    for name in ("overview.png", "overview-en.png", "simulator.png"):
        assert (tmp_path / name).stat().st_size > 20_000  # a real picture, not a blank page


def test_pages_fit_a_narrow_phone_screen(live_server, chromium, runner):
    lived_in_demo(runner, households=20)
    context = chromium.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    sign_in(page, live_server)
    for language, then in (("id", "English"), ("en", "Bahasa Indonesia")):  # id words run longer
        for path in PAGES:
            page.goto(f"{live_server}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (language, path, overflow)
        switch_language(page, then)
    context.close()
