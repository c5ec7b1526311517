"""The foundation: phones, household codes, the app factory, health, the CLI and exports."""

import json

import pytest

from service import codes
from service.models import AuditLog, Enrollment, db
from service.phones import InvalidPhone, country_of, mask, normalise, timezone_of


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+852 9123 4567", "+85291234567"),
        ("+966501234567", "+966501234567"),
    ],
)
def test_phone_numbers_are_one_person_however_written(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "0812", "+1234", None])
def test_non_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone):
        normalise(raw)


def test_phone_country_timezone_and_mask():
    assert country_of("+85291234567") == "HK"
    assert timezone_of("+85291234567") == "Asia/Hong_Kong"
    assert timezone_of("+966501234567") == "Asia/Riyadh"
    assert mask("+6281234567890") == "+62812****7890"


def test_household_codes_catch_every_single_digit_typo_and_swap():
    code = codes.generate(lambda c: False)
    assert codes.is_valid(code)
    for i in range(len(code)):
        for digit in "0123456789":
            if digit != code[i]:
                assert not codes.is_valid(code[:i] + digit + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not codes.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_codes_widen_when_crowded():
    code = codes.generate(lambda c: len(c) == codes.BASE_DIGITS + 1)
    assert len(code) == codes.BASE_DIGITS + 2 and codes.is_valid(code)


def test_healthz_reports_both_stores(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": True, "redis": True, "ok": True}


def test_healthz_reports_redis_down(app_config):
    from service import create_app

    app = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["redis"] is False


def test_village_and_facilitator_add(runner):
    result = runner.invoke(
        args=[
            "village",
            "add",
            "--name",
            "Sakra",
            "--district",
            "Lombok Timur",
            "--province",
            "NTB",
            "--timezone",
            "Asia/Makassar",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "facilitator",
            "add",
            "--phone",
            "0811-0000-0099",
            "--name",
            "Pak Lalu",
            "--village",
            "sakra",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "+6281100000099" in result.output
    assert db.session.query(Enrollment).filter_by(track="facilitator").count() == 1
    actions = {row.action for row in db.session.query(AuditLog)}
    assert {"village.add", "facilitator.add"} <= actions


@pytest.mark.parametrize(
    "args, message",
    [
        (
            [
                "village",
                "add",
                "--name",
                "X",
                "--district",
                "D",
                "--province",
                "P",
                "--timezone",
                "Mars/Base",
            ],
            "unknown time zone",
        ),
        (
            [
                "village",
                "add",
                "--name",
                "X",
                "--district",
                "D",
                "--province",
                "P",
                "--language",
                "fr",
            ],
            "unknown language 'fr'; use one of id, en",
        ),
        (
            ["facilitator", "add", "--phone", "12", "--name", "A", "--village", "Nowhere"],
            "not a phone number",
        ),
        (
            [
                "facilitator",
                "add",
                "--phone",
                "081100000001",
                "--name",
                "A",
                "--village",
                "Nowhere",
            ],
            "no village named",
        ),
    ],
)
def test_bad_arguments_get_a_clear_error_not_a_traceback(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_duplicate_village_is_refused(runner, factory):
    factory.village("Kanigoro")
    result = runner.invoke(
        args=[
            "village",
            "add",
            "--name",
            "Kanigoro",
            "--district",
            "Blitar",
            "--province",
            "Jawa Timur",
        ]
    )
    assert result.exit_code == 1 and "exists already" in result.output


def test_seed_demo_is_repeatable_and_exports_the_contract_shape(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo", "--households", "25"]).exit_code == 0
    result = runner.invoke(args=["export", "households", "--format", "json"])
    households = json.loads(result.output)
    assert len(households) == 6 + 25
    first = households[0]
    assert set(first) >= {"code", "village", "status", "caregivers", "children", "migrant_parents"}
    assert set(first["caregivers"][0]) >= {"name", "phone", "relationship", "language", "status"}
    assert first["caregivers"][0]["phone"].startswith("+62")
    assert first["migrant_parents"] == [{"phone": "+85291234567", "country": "HK"}]
    assert all(codes.is_valid(h["code"]) for h in households)


def test_export_csv_has_a_header_even_when_empty(runner):
    result = runner.invoke(args=["export", "messages"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("to,body,kind,status,provider_id,segments")


def test_admin_create_reads_password_from_stdin(runner):
    from service.models import AdminUser
    from service.passwords import verify_password

    result = runner.invoke(
        args=["admin", "create", "--username", "ana", "--role", "viewer"],
        input="correct horse battery\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(AdminUser).filter_by(username="ana").one()
    assert user.role == "viewer" and verify_password(user.password_hash, "correct horse battery")


def test_outbox_rows_are_sent_after_commit_by_a_worker(app, factory, run_jobs):
    from service.models import OutboxMessage
    from service.outbox import queue_sms

    assert queue_sms("+6281299999999", "Halo", "alert", "test:1") is not None
    assert queue_sms("+6281299999999", "Halo", "alert", "test:1") is None  # same key
    db.session.commit()
    run_jobs()
    db.session.expire_all()
    row = db.session.query(OutboxMessage).one()
    assert row.status == "sent" and row.provider_id.startswith("console-") and row.attempts == 1
