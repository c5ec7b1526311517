"""Whole journeys across USSD, SMS, the scheduler, the gateway and delivery reports."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.models import Enrollment, Household, OutboxMessage, db, utcnow
from tests.fixtures.sms import post_delivery

FACILITATOR = "+6281100000001"
CAREGIVER = "+6281399900001"


def next_morning(zone="Asia/Jakarta"):
    """08:30 local tomorrow: inside everyone's morning window."""
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(ZoneInfo(zone)).date()
    return datetime.combine(tomorrow, time(8, 30), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def rows_to(phone, kind):
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_phone == phone, OutboxMessage.kind == kind)
    return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def register_by_ussd(ussd):
    session = ussd.dial(CAREGIVER)
    session.press("1", "Siti Aminah", "1", "1", "2018", "2", "1")
    assert session.ended and session.screen == "reg.done"
    return db.session.scalar(select(Household).order_by(Household.id.desc()))


def test_ussd_registration_confirmed_by_sms_then_lessons_delivered_until_stop(
    factory, ussd, sms, runner, run_jobs, client, fake_at
):
    village = factory.village("Kanigoro")
    factory.facilitator(village, phone=FACILITATOR)
    household = register_by_ussd(ussd)
    run_jobs()
    [alert] = rows_to(FACILITATOR, "alert")
    assert f"KONFIRMASI {household.code}" in alert.body and alert.status == "sent"

    [reply] = sms(FACILITATOR, f"konfirmasi {household.code}")
    assert household.code in reply
    db.session.expire_all()
    assert db.session.get(Household, household.id).status == "active"
    [welcome] = rows_to(CAREGIVER, "welcome")
    assert "STOP" in welcome.body and "*384*123#" in welcome.body

    result = runner.invoke(args=["dispatch", "--now", next_morning().isoformat()])
    assert result.exit_code == 0 and "1 lessons" in result.output, result.output
    run_jobs()
    [lesson] = rows_to(CAREGIVER, "lesson")
    assert lesson.status == "sent" and lesson.provider_id.startswith("ATXid_")
    assert (CAREGIVER, lesson.body) in [(phone, body) for phone, body, _ in fake_at.messages]

    assert post_delivery(client, lesson.provider_id, "Success", CAREGIVER).status_code == 200
    db.session.expire_all()
    assert db.session.get(OutboxMessage, lesson.id).status == "delivered"

    [confirmation] = sms(CAREGIVER, "STOP")
    assert "MULAI" in confirmation
    later = next_morning() + timedelta(days=7)
    runner.invoke(args=["dispatch", "--now", later.isoformat()])
    run_jobs()
    assert len(rows_to(CAREGIVER, "lesson")) == 1  # nothing after STOP
    enrollment = db.session.scalar(select(Enrollment).filter_by(track="caregiver"))
    assert enrollment.state == "stopped"
