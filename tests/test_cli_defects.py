"""Defects a new user found in the CLI and forms: names, roles, numbers, help."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.models import AdminUser, AuditLog, Facilitator, Village, db
from service.passwords import verify_password

BIN = Path(sys.executable).parent
CAREGIVER = "+6281300000001"


def add_village(runner, name, district="Blitar", province="Jawa Timur"):
    args = ["village", "add", "--name", name, "--district", district, "--province", province]
    return runner.invoke(args=args)


def villages():
    db.session.expire_all()
    return sorted(v.name for v in db.session.scalars(db.select(Village)))


@pytest.mark.parametrize("name", ["", "   ", "\t", "\x00", "--"])
def test_a_village_needs_a_name_with_letters(runner, name):
    result = add_village(runner, name)
    assert result.exit_code != 0 and "village name is empty" in result.output
    assert "Traceback" not in result.output and villages() == []


def test_a_village_name_is_trimmed(runner):
    assert add_village(runner, "  Kanigoro  ").exit_code == 0
    assert villages() == ["Kanigoro"]


@pytest.mark.parametrize("again", ["Kanigoro ", " kanigoro", "KANIGORO", "Kanigoro"])
def test_a_duplicate_village_is_a_clear_error_however_it_is_spaced(runner, factory, again):
    factory.village("Kanigoro")
    result = add_village(runner, again)
    assert result.exit_code == 1 and "exists already" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert villages() == ["Kanigoro"]


def test_district_and_province_are_checked_too(runner):
    result = add_village(runner, "Sakra", district=" ")
    assert result.exit_code != 0 and "district is empty" in result.output


@pytest.mark.parametrize("name", ["   ", "\x00\x00"])
def test_the_village_form_refuses_an_empty_name(admin_client, no_csrf, name):
    form = {"name": name, "district": "B", "province": "J", "timezone": "Asia/Jakarta"}
    response = admin_client.post("/admin/villages/new", data={**form, "language": "id"})
    assert response.status_code == 200 and villages() == []


def test_the_village_form_trims_and_refuses_a_spaced_duplicate(admin_client, factory, no_csrf):
    factory.village("Kanigoro")
    form = {"district": "B", "province": "J", "timezone": "Asia/Jakarta", "language": "id"}
    response = admin_client.post("/admin/villages/new", data={**form, "name": " Kanigoro "})
    assert b"exists already" in response.data
    admin_client.post("/admin/villages/new", data={**form, "name": "  Sakra\x00 "})
    assert villages() == ["Kanigoro", "Sakra"]


# ---------------------------------------------------------------- accounts


def create(runner, *args, password="sawah-hijau-77"):
    return runner.invoke(args=["admin", "create", *args], input=f"{password}\n")


def account(username):
    db.session.expire_all()
    return db.session.scalar(db.select(AdminUser).where(AdminUser.username == username))


def test_creating_an_existing_viewer_again_keeps_the_role(runner, make_account):
    make_account("officer", "viewer")
    result = create(runner, "--username", "officer", password="kopi-tubruk-88")
    assert result.exit_code == 0, result.output
    assert "role stays viewer" in result.output
    user = account("officer")
    assert user.role == "viewer" and verify_password(user.password_hash, "kopi-tubruk-88")


def test_changing_a_role_needs_the_explicit_flag(runner, make_account):
    make_account("officer", "viewer")
    refused = create(runner, "--username", "officer", "--role", "admin")
    assert refused.exit_code == 1 and "--change-role" in refused.output
    assert account("officer").role == "viewer"
    changed = create(runner, "--username", "officer", "--role", "admin", "--change-role")
    assert changed.exit_code == 0 and "role is now admin" in changed.output
    assert account("officer").role == "admin"
    row = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "admin.reset"))
    assert row.detail["role"] == ["viewer", "admin"]


def test_a_new_account_is_an_admin_unless_told_otherwise(runner):
    assert create(runner, "--username", "budi").exit_code == 0
    assert account("budi").role == "admin"


# ---------------------------------------------------------------- facilitators


def add_facilitator(runner, phone, *extra):
    args = ["facilitator", "add", "--phone", phone, "--name", "Bu Ani", "--village", "Kanigoro"]
    return runner.invoke(args=[*args, *extra])


def test_a_caregivers_number_does_not_silently_become_a_facilitators(runner, factory):
    village = factory.village("Kanigoro")
    home = factory.household(village, phone=CAREGIVER, name="Mbah Sumini")
    result = add_facilitator(runner, "0813 0000 0001")
    assert result.exit_code == 1
    assert "caregiver Mbah Sumini" in result.output and home.code in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 0
    forced = add_facilitator(runner, "0813 0000 0001", "--force")
    assert forced.exit_code == 0, forced.output
    row = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "facilitator.add"))
    assert "Mbah Sumini" in row.detail["also_household_member"]


def test_a_parent_abroads_number_is_refused_too(runner, factory):
    home = factory.household(factory.village("Kanigoro"))
    factory.migrant(home, phone="+85291234567")
    assert add_facilitator(runner, "+852 9123 4567").exit_code == 1


def test_the_facilitator_form_refuses_a_caregivers_number(admin_client, factory, no_csrf):
    village = factory.village("Kanigoro")
    factory.household(village, phone=CAREGIVER, name="Mbah Sumini")
    form = {"name": "Bu Ani", "phone": "0813 0000 0001", "village_id": village.id}
    response = admin_client.post("/admin/facilitators/new", data={**form, "language": "id"})
    assert b"caregiver Mbah Sumini" in response.data
    assert db.session.scalar(db.select(db.func.count(Facilitator.id))) == 0


# ---------------------------------------------------------------- help


def test_asuh_help_lists_asuhs_own_commands_before_flasks():
    done = subprocess.run(
        [str(BIN / "asuh"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ASUH_ENV": "development"},
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.index("Asuh commands") < text.index("\n  village ") < text.index("\n  run ")
    for command in ("db", "seed-demo", "village", "facilitator", "admin", "dispatch", "worker"):
        assert f"\n  {command} " in text
    assert "--app" not in text and "Flask" not in text.split("Asuh commands")[0]
    assert ".venv/bin/asuh" in text
