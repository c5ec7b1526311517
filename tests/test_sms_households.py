"""What facilitator commands change: households, people, tracks, meetings, and the audit log."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from messages.gsm import segment_info
from service.models import (
    Attendance,
    AuditLog,
    Caregiver,
    Child,
    Enrollment,
    Household,
    Meeting,
    MigrantParent,
    OutboxMessage,
    db,
)
from service.outbox import queue_sms
from tests.fixtures.sms import FACILITATOR as FAC  # the `village` fixture's facilitator
from tests.fixtures.sms import outbox_to

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB


def audit_actions():
    return [row.action for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def enrollment_of(**person):
    return db.session.scalar(select(Enrollment).filter_by(**person))


def test_daftar_registers_household_caregiver_children_track_and_welcome(village, handle):
    reply = handle(FAC, "daftar mbah sumini 081234567890 nenek 2016 2019-03", now=NOW)
    household = db.session.scalar(select(Household))
    caregiver = household.caregivers[0]
    assert household.code in reply and household.village_id == village.id
    assert household.registered_via == "sms" and household.registered_by_id is not None
    assert (caregiver.name, caregiver.phone, caregiver.relationship, caregiver.language) == (
        "Mbah Sumini",
        "+6281234567890",
        "grandmother",
        "id",
    )
    assert [(c.birth_year, c.birth_month) for c in household.children] == [(2016, None), (2019, 3)]
    assert enrollment_of(caregiver_id=caregiver.id).state == "active"
    [welcome] = outbox_to("+6281234567890", kind="welcome")
    assert "STOP" in welcome.body and "BERHENTI" in welcome.body and "*384*123#" in welcome.body
    assert "household.register" in audit_actions()
    [row] = db.session.scalars(select(AuditLog).filter_by(action="household.register")).all()
    assert row.actor == f"sms:{FAC}"


def test_a_known_caregiver_phone_gets_its_code_not_a_second_household(village, handle):
    first = handle(FAC, "DAFTAR Sumini 081234567890 nenek 2016", now=NOW)
    second = handle(FAC, "DAFTAR Sumini Lagi 0812-3456-7890 nenek 2017", now=NOW)
    code = db.session.scalar(select(Household.code))
    assert code in first and code in second
    assert db.session.query(Household).count() == 1
    assert db.session.query(Child).count() == 1
    assert len(outbox_to("+6281234567890", kind="welcome")) == 1


@pytest.mark.parametrize(
    "language, name",
    [
        ("id", "Mbah Sumini"),
        ("en", "Sumini"),
        ("id", "Ñoño " * 30),
        ("en", "Dewi \u2019Ayu\u2019 \U0001f60a"),
    ],
)
def test_welcome_sms_fit_in_two_gsm7_segments(app, factory, handle, language, name):
    village = factory.village(language=language)
    factory.facilitator(village, phone=FAC)
    handle(FAC, f"DAFTAR {name} 081234567890 nenek 2016", now=NOW)
    [welcome] = outbox_to("+6281234567890", kind="welcome")
    info = segment_info(welcome.body)
    assert info.encoding == "GSM-7" and info.segments <= 2


def test_anak_adds_a_child_and_audits(village, factory, handle):
    household = factory.household(village, births=((2016, 4),))
    handle(FAC, f"ANAK {household.code} 2021-06", now=NOW)
    db.session.expire_all()
    assert [(c.birth_year, c.birth_month) for c in household.children] == [(2016, 4), (2021, 6)]
    assert "child.add" in audit_actions()


def test_pmi_links_the_parent_abroad_with_their_track_and_welcome(village, factory, handle):
    household = factory.household(village)
    handle(FAC, f"PMI {household.code} +852 9123 4567", now=NOW)
    parent = db.session.scalar(select(MigrantParent))
    assert (parent.household_id, parent.phone, parent.country) == (
        household.id,
        "+85291234567",
        "HK",
    )
    assert enrollment_of(migrant_parent_id=parent.id).track == "migrant"
    assert len(outbox_to("+85291234567", kind="welcome")) == 1
    assert "migrant.link" in audit_actions()


def test_pmi_keeps_the_country_typed(village, factory, handle):
    household = factory.household(village)
    handle(FAC, f"PMI {household.code} 0123456789 Malaysia", now=NOW)
    assert db.session.scalar(select(MigrantParent.country)) == "MY"


def test_ganti_moves_the_caregiver_to_the_new_number_and_welcomes_it(village, factory, handle):
    household = factory.household(village, phone="+6281300000001")
    handle(FAC, f"GANTI {household.code} 081255566677", now=NOW)
    caregiver = db.session.scalar(select(Caregiver))
    assert caregiver.phone == "+6281255566677"
    assert len(outbox_to("+6281255566677", kind="welcome")) == 1
    [row] = db.session.scalars(select(AuditLog).filter_by(action="caregiver.change_phone")).all()
    assert row.detail == {"old": "+6281300000001", "new": "+6281255566677"}


def test_ganti_refuses_a_number_that_belongs_to_someone_else(village, factory, handle):
    household = factory.household(village, phone="+6281300000001")
    factory.household(village, phone="+6281300000002")
    handle(FAC, f"GANTI {household.code} 081300000002", now=NOW)
    db.session.expire_all()
    assert household.caregivers[0].phone == "+6281300000001"


OLD, NEW = "+6281300000001", "+6281255566677"


def pending(key, to=OLD, kind="lesson", **links):
    """An unsent outbox row, as the scheduler or a handler left it."""
    row = queue_sms(to, f"isi {key}", kind, key, **links)
    db.session.commit()
    return row.id


def addressed(*ids):
    """{id: (to_phone, status)} of outbox rows."""
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return {row.id: (row.to_phone, row.status) for row in rows}


def test_ganti_readdresses_the_caregivers_unsent_sms_and_audits_it(village, factory, handle):
    household = factory.household(village, phone=OLD)
    caregiver = household.caregivers[0]
    enrollment = enrollment_of(caregiver_id=caregiver.id)
    lesson = pending(f"lesson:{enrollment.id}:3", enrollment_id=enrollment.id)
    reminder = pending(f"reminder:9:{caregiver.id}:day", kind="reminder")
    reply = pending("reply:41:0", kind="reply")  # an answer to what the caregiver sent
    later = pending("summary:9:x", kind="summary", send_after=NOW + timedelta(hours=12))
    welcome = pending(f"welcome:caregiver:{caregiver.id}:{OLD}", kind="welcome")
    sent = pending(f"lesson:{enrollment.id}:2", enrollment_id=enrollment.id)
    on_its_way = pending("reply:40:0", kind="reply")
    db.session.get(OutboxMessage, sent).status = "sent"
    db.session.get(OutboxMessage, on_its_way).claimed_until = NOW + timedelta(minutes=4)
    db.session.commit()
    handle(FAC, f"GANTI {household.code} 081255566677", now=NOW)
    assert addressed(lesson, reminder, reply, later, welcome, sent, on_its_way) == {
        lesson: (NEW, "pending"),
        reminder: (NEW, "pending"),
        reply: (NEW, "pending"),
        later: (NEW, "pending"),
        welcome: (OLD, "cancelled"),  # the new number gets its own welcome
        sent: (OLD, "sent"),  # history stays true
        on_its_way: (OLD, "pending"),  # a sender holds it: it is already on its way
    }
    assert len(outbox_to(NEW, kind="welcome")) == 1
    [row] = db.session.scalars(select(AuditLog).filter_by(action="caregiver.readdress_outbox"))
    assert (row.entity, row.entity_id) == ("caregiver", caregiver.id)
    assert row.detail == {
        "old": OLD,
        "new": NEW,
        "moved": [lesson, reminder, reply, later],
        "cancelled": [welcome],
    }


def test_ganti_off_a_facilitators_own_number_leaves_the_facilitators_sms(village, factory, handle):
    from service.enrollments import enroll
    from service.models import Facilitator

    household = factory.household(village, phone=FAC)  # the facilitator cares for a grandchild
    caregiver = household.caregivers[0]
    facilitator = db.session.scalar(select(Facilitator).filter_by(phone=FAC))
    guide = enroll("facilitator", facilitator.id, now=NOW)
    db.session.commit()
    mine = enrollment_of(caregiver_id=caregiver.id)
    lesson = pending(f"lesson:{mine.id}:0", to=FAC, enrollment_id=mine.id)
    reminder = pending(f"reminder:9:{caregiver.id}:2h", to=FAC, kind="reminder")
    session_guide = pending(f"lesson:{guide.id}:0", to=FAC, enrollment_id=guide.id)
    weekly = pending(f"weekly:{facilitator.id}:2026-W19", to=FAC, kind="summary")
    reply = pending("reply:41:0", to=FAC, kind="reply")  # whose? the number is still his
    handle(FAC, f"GANTI {household.code} 081255566677", now=NOW)
    assert addressed(lesson, reminder, session_guide, weekly, reply) == {
        lesson: (NEW, "pending"),
        reminder: (NEW, "pending"),
        session_guide: (FAC, "pending"),
        weekly: (FAC, "pending"),
        reply: (FAC, "pending"),
    }


def test_a_refused_ganti_moves_no_sms(village, factory, handle):
    household = factory.household(village, phone=OLD)
    factory.household(village, phone=NEW)
    enrollment = enrollment_of(caregiver_id=household.caregivers[0].id)
    lesson = pending(f"lesson:{enrollment.id}:3", enrollment_id=enrollment.id)
    handle(FAC, f"GANTI {household.code} 081255566677", now=NOW)
    assert addressed(lesson) == {lesson: (OLD, "pending")}
    assert "caregiver.readdress_outbox" not in audit_actions()


def test_hapus_stops_everything_for_the_household_and_keeps_its_data(village, factory, handle):
    household = factory.household(village, phone="+6281300000001")
    parent = factory.migrant(household, phone="+85291234567")
    lesson = queue_sms("+6281300000001", "Pelajaran", "lesson", "lesson:x")
    other = queue_sms("+6281399999999", "Pelajaran", "lesson", "lesson:y")
    db.session.commit()
    handle(FAC, f"HAPUS {household.code}", now=NOW)
    db.session.expire_all()
    caregiver = household.caregivers[0]
    assert household.status == "inactive" and household.deactivated_at == NOW
    assert caregiver.status == "inactive" and parent.status == "inactive"
    assert enrollment_of(caregiver_id=caregiver.id).state == "stopped"
    assert (lesson.status, other.status) == ("cancelled", "pending")
    assert db.session.query(Household).count() == 1 and len(household.children) == 1
    assert "household.remove" in audit_actions()


def test_konfirmasi_starts_a_household_registered_by_ussd(village, factory, handle):
    household = factory.household(village, phone="+6281300000001", status="pending")
    caregiver = household.caregivers[0]
    assert enrollment_of(caregiver_id=caregiver.id).state == "paused"
    handle(FAC, f"KONFIRMASI {household.code}", now=NOW)
    db.session.expire_all()
    assert household.status == "active"
    assert enrollment_of(caregiver_id=caregiver.id).state == "active"
    assert len(outbox_to("+6281300000001", kind="welcome")) == 1
    assert "household.confirm" in audit_actions()


def test_remaja_waits_for_consent_then_setuju_starts_the_teen(village, factory, handle):
    household = factory.household(village, phone="+6281300000001", births=((2012, 3),))
    handle(FAC, f"REMAJA {household.code} 081377788899", now=NOW)
    child = db.session.scalar(select(Child))
    enrollment = enrollment_of(child_id=child.id)
    assert child.phone == "+6281377788899" and enrollment.state == "pending_consent"
    [ask] = outbox_to("+6281300000001", kind="alert")
    assert "SETUJU" in ask.body and "TOLAK" in ask.body
    assert outbox_to("+6281377788899") == []  # nothing to the teen before consent
    reply = handle("+6281300000001", "setuju", now=NOW)
    db.session.expire_all()
    assert "Terima kasih" in reply and enrollment.state == "active"
    assert len(outbox_to("+6281377788899", kind="welcome")) == 1
    assert {"adolescent.request", "adolescent.consent"} <= set(audit_actions())


def test_tolak_keeps_the_teen_off_the_track_and_forgets_the_number(village, factory, handle):
    household = factory.household(village, phone="+6281300000001", births=((2012, 3),))
    handle(FAC, f"TEEN {household.code} 081377788899", now=NOW)
    reply = handle("+6281300000001", "NO", now=NOW)
    child = db.session.scalar(select(Child))
    assert "deleted the number" not in reply  # the caregiver's language is Indonesian
    assert "nomornya sudah kami hapus" in reply
    assert child.phone is None and enrollment_of(child_id=child.id).state == "stopped"
    assert outbox_to("+6281377788899") == []


@pytest.mark.parametrize(
    "zone, typed, stored_utc",
    [
        ("Asia/Jakarta", "PERTEMUAN 5/12 15.00 balai", datetime(2026, 12, 5, 8, 0, tzinfo=UTC)),
        (
            "Asia/Makassar",
            "PERTEMUAN 05-12-2026 15:00 balai",
            datetime(2026, 12, 5, 7, 0, tzinfo=UTC),
        ),
        ("Asia/Jayapura", "MEET 2026-12-05 15.00 hall", datetime(2026, 12, 5, 6, 0, tzinfo=UTC)),
        ("Asia/Jakarta", "PERTEMUAN 4/5 23.30 balai", datetime(2026, 5, 4, 16, 30, tzinfo=UTC)),
    ],
)
def test_meetings_are_typed_in_village_time_and_stored_in_utc(
    app, factory, handle, zone, typed, stored_utc
):
    village = factory.village(timezone=zone)
    factory.facilitator(village, phone=FAC)
    handle(FAC, typed, now=NOW)
    meeting = db.session.scalar(select(Meeting))
    assert meeting.starts_at == stored_utc and meeting.village_id == village.id
    assert meeting.status == "scheduled" and meeting.topic == "fs01"
    assert "meeting.schedule" in audit_actions()


def test_batal_cancels_and_audits_and_the_next_meeting_gets_the_next_topic(village, handle):
    handle(FAC, "PERTEMUAN 5/12 15.00 balai", now=NOW)
    handle(FAC, "PERTEMUAN 12/12 15.00 balai", now=NOW)
    first, second = db.session.scalars(select(Meeting).order_by(Meeting.id)).all()
    assert (first.topic, second.topic) == ("fs01", "fs02")
    handle(FAC, f"BATAL {first.id}", now=NOW)
    db.session.expire_all()
    assert first.status == "cancelled" and first.cancelled_at == NOW
    assert "meeting.cancel" in audit_actions()


def test_hadir_records_each_household_once_at_the_latest_started_meeting(village, factory, handle):
    a, b = factory.household(village), factory.household(village)
    for days in (-14, -1, 7):
        db.session.add(
            Meeting(village_id=village.id, starts_at=NOW + timedelta(days=days), place="x")
        )
    db.session.commit()
    handle(FAC, f"HADIR {a.code} {b.code}", now=NOW)
    handle(FAC, f"HADIR {a.code}", now=NOW)
    rows = db.session.scalars(select(Attendance)).all()
    latest = db.session.scalar(select(Meeting).order_by(Meeting.id).offset(1))
    assert sorted(r.household_id for r in rows) == sorted([a.id, b.id])
    assert {r.meeting_id for r in rows} == {latest.id}
    assert audit_actions().count("attendance.record") == 2


def test_a_stranger_using_a_facilitator_command_changes_nothing(village, handle):
    before = db.session.query(AuditLog).count()
    reply = handle("+6281999999999", "DAFTAR Sumini 081234567890 nenek 2016", now=NOW)
    assert "hanya untuk fasilitator" in reply
    assert db.session.query(Household).count() == 0
    assert db.session.query(AuditLog).count() == before
    assert outbox_to("+6281234567890") == []


def lessons_with_statuses(caregiver, statuses, position):
    """Lesson rows on the caregiver's enrollment, one per status; the position moved past
    lessons skipped for the children's ages, as the tick does."""
    enrollment = enrollment_of(caregiver_id=caregiver.id)
    for n, status in enumerate(statuses):
        row = queue_sms(caregiver.phone, f"Pelajaran {n}", "lesson", f"t:count:{n}")
        db.session.flush()
        row.enrollment_id, row.status = enrollment.id, status
    enrollment.position = position
    db.session.commit()


def test_info_counts_the_lessons_that_left_for_the_phone(village, factory, handle):
    home = factory.household(village, phone="+6281300000001")
    lessons_with_statuses(home.caregivers[0], ["delivered", "sent", "pending", "failed"], 6)
    reply = handle(FAC, f"INFO {home.code}", now=NOW)
    assert "Pelajaran terkirim: 2." in reply


def test_the_export_counts_the_lessons_that_left_for_the_phone(village, factory, runner):
    home = factory.household(village, phone="+6281300000001")
    lessons_with_statuses(home.caregivers[0], ["delivered", "sent", "pending"], 7)
    result = runner.invoke(args=["household", "export", home.code])
    [caregiver_track] = json.loads(result.output)["enrollments"]
    assert caregiver_track["lessons_sent"] == 2
