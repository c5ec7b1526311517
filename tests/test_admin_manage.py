"""Admins add and edit villages and facilitators; every change lands in the audit log."""

from service.models import AuditLog, Enrollment, Facilitator, Village, db
from service.states import EnrollmentState, Track

VILLAGE = {
    "name": "Tanjung",
    "district": "Lombok Utara",
    "province": "Nusa Tenggara Barat",
    "timezone": "Asia/Makassar",
    "language": "id",
    "lessons_per_week": "3",
}


def audit_rows(action):
    return db.session.scalars(db.select(AuditLog).where(AuditLog.action == action)).all()


def test_an_admin_adds_a_village(admin_client, no_csrf):
    response = admin_client.post("/admin/villages/new", data=VILLAGE)
    assert response.status_code == 302
    village = db.session.scalar(db.select(Village).where(Village.name == "Tanjung"))
    assert (village.timezone, village.lessons_per_week) == ("Asia/Makassar", 3)
    (row,) = audit_rows("village.add")
    assert row.actor == "admin:ana" and row.entity_id == village.id


def test_a_village_name_is_unique_whatever_its_case(admin_client, factory, no_csrf):
    factory.village("Tanjung")
    response = admin_client.post("/admin/villages/new", data={**VILLAGE, "name": "TANJUNG"})
    assert response.status_code == 200 and b"exists already" in response.data
    assert db.session.scalar(db.select(db.func.count(Village.id))) == 1


def test_a_bad_time_zone_or_lesson_count_is_refused(admin_client, no_csrf):
    for bad in ({"timezone": "Mars/Olympus"}, {"lessons_per_week": "12"}, {"name": ""}):
        response = admin_client.post("/admin/villages/new", data={**VILLAGE, **bad})
        assert response.status_code == 200, bad
    assert db.session.scalar(db.select(db.func.count(Village.id))) == 0


def test_editing_a_village_records_old_and_new_values(admin_client, factory, no_csrf):
    village = factory.village("Tanjung", timezone="Asia/Jakarta")
    data = {**VILLAGE, "lessons_per_week": ""}
    response = admin_client.post(f"/admin/villages/{village.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(village)
    assert village.timezone == "Asia/Makassar" and village.lessons_per_week is None
    (row,) = audit_rows("village.edit")
    assert row.detail["changes"]["timezone"] == ["Asia/Jakarta", "Asia/Makassar"]
    assert "name" not in row.detail["changes"]


def test_saving_an_unchanged_village_audits_nothing(admin_client, factory, no_csrf):
    village = factory.village(
        "Tanjung",
        timezone="Asia/Makassar",
        district="Lombok Utara",
        province="Nusa Tenggara Barat",
        lessons_per_week=3,
    )
    admin_client.post(f"/admin/villages/{village.id}/edit", data=VILLAGE)
    assert audit_rows("village.edit") == []


def test_an_admin_adds_a_facilitator_who_is_enrolled_in_the_guides(admin_client, factory, no_csrf):
    village = factory.village("Kanigoro")
    response = admin_client.post(
        "/admin/facilitators/new",
        data={
            "name": "Bu Rina",
            "phone": "0811-2233-4455",
            "village_id": village.id,
            "language": "id",
            "active": "y",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(db.select(Facilitator).where(Facilitator.name == "Bu Rina"))
    assert row.phone == "+6281122334455" and row.village_id == village.id
    enrollment = db.session.scalar(db.select(Enrollment).where(Enrollment.facilitator_id == row.id))
    assert enrollment.track == Track.FACILITATOR
    (entry,) = audit_rows("facilitator.add")
    assert entry.actor == "admin:ana"


def test_a_facilitator_number_must_be_a_phone_and_not_taken(admin_client, factory, no_csrf):
    village = factory.village()
    factory.facilitator(village, phone="+6281122334455")
    base = {"name": "Bu Rina", "village_id": village.id, "language": "id", "active": "y"}
    for phone, message in (("12", b"Not a phone number"), ("081122334455", b"already")):
        response = admin_client.post("/admin/facilitators/new", data={**base, "phone": phone})
        assert response.status_code == 200 and message in response.data
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 1


def test_deactivating_a_facilitator_pauses_their_guides(admin_client, factory, no_csrf):
    from service.enrollments import enroll

    village = factory.village()
    row = factory.facilitator(village, name="Bu Rina")
    enroll(Track.FACILITATOR, row.id)
    db.session.commit()
    data = {"name": "Bu Rina", "phone": row.phone, "village_id": village.id, "language": "id"}
    assert admin_client.post(f"/admin/facilitators/{row.id}/edit", data=data).status_code == 302
    db.session.refresh(row)
    enrollment = db.session.scalar(db.select(Enrollment).where(Enrollment.facilitator_id == row.id))
    assert row.active is False and enrollment.state == EnrollmentState.PAUSED
    (entry,) = audit_rows("facilitator.edit")
    assert entry.detail["changes"]["active"] == [True, False]


def test_the_edit_forms_carry_a_csrf_token(admin_client, factory):
    village = factory.village()
    row = factory.facilitator(village)
    for path in (
        "/admin/villages/new",
        f"/admin/villages/{village.id}/edit",
        "/admin/facilitators/new",
        f"/admin/facilitators/{row.id}/edit",
    ):
        assert b'name="csrf_token"' in admin_client.get(path).data, path
