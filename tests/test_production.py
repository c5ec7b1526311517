"""Refusing to run unsafely: production settings, cookies, HSTS, and where the servers listen.

The CLI and gunicorn are run as real processes: what an operator sees is what is tested.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from service import config, create_app
from service.config import UnsafeSettings
from tests.fixtures.dashboard import sign_in

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STRONG = "k3y-" + "x" * 40
SAFE = {
    "ASUH_ENV": "production",
    "SECRET_KEY": STRONG,
    "WEBHOOK_TOKEN": "t0ken-" + "y" * 30,
    "SMS_GATEWAY": "africastalking",
    "AT_API_KEY": "at-key",
}


@pytest.fixture
def production(app_config):
    """Settings of a production app that may start: override one to make it unsafe."""
    return {**app_config, **SAFE}


UNSAFE = [
    ("SECRET_KEY", "", "SECRET_KEY"),
    ("SECRET_KEY", config.DEFAULT_SECRET_KEY, "SECRET_KEY"),
    ("SECRET_KEY", "short", "SECRET_KEY"),
    ("WEBHOOK_TOKEN", "", "WEBHOOK_TOKEN"),
    ("WEBHOOK_TOKEN", config.DEFAULT_WEBHOOK_TOKEN, "WEBHOOK_TOKEN"),
    ("SMS_GATEWAY", "console", "SMS_GATEWAY"),
    ("AT_API_KEY", "", "AT_API_KEY"),
]
KANNEL = {"SMS_GATEWAY": "kannel", "KANNEL_USERNAME": "asuh", "KANNEL_PASSWORD": "pw-" + "z" * 20}


@pytest.mark.parametrize("name", ["KANNEL_USERNAME", "KANNEL_PASSWORD"])
def test_production_with_kannel_needs_its_login(production, name):
    assert create_app({**production, **KANNEL}).config["SMS_GATEWAY"] == "kannel"
    with pytest.raises(UnsafeSettings) as refused:
        create_app({**production, **KANNEL, name: ""})
    assert f"set {name}" in str(refused.value)


@pytest.mark.parametrize("name, value, named", UNSAFE)
def test_production_refuses_an_unsafe_setting_and_names_it(production, name, value, named):
    with pytest.raises(UnsafeSettings) as refused:
        create_app({**production, name: value})
    assert named in str(refused.value)
    assert f"set {named}" in str(refused.value)


def test_a_safe_production_app_starts(production):
    assert create_app(production).config["ASUH_ENV"] == "production"


@pytest.mark.parametrize("env_name", ["prod", "staging", "Production"])
def test_anything_but_development_is_as_strict_as_production(app_config, env_name):
    with pytest.raises(UnsafeSettings):
        create_app({**app_config, "ASUH_ENV": env_name.lower(), "SECRET_KEY": ""})


def test_development_starts_on_the_defaults(app_config):
    settings = {**app_config, "SECRET_KEY": config.DEFAULT_SECRET_KEY, "SMS_GATEWAY": "console"}
    assert create_app(settings).config["ASUH_ENV"] == "development"


def _forged_cookie(user_id, key=config.DEFAULT_SECRET_KEY):
    """A session cookie naming an account, signed with the public development key."""
    signer = SecureCookieSessionInterface().get_signing_serializer(
        create_app({"SECRET_KEY": key, "TESTING": True})
    )
    return signer.dumps({"_user_id": user_id, "_fresh": True})


def test_a_cookie_signed_with_the_default_key_is_worthless_in_production(production, make_account):
    with pytest.raises(UnsafeSettings):
        create_app({**production, "SECRET_KEY": ""})  # the default key cannot be in use...
    user = make_account("ana")
    client = create_app(production).test_client()
    for session_id in (str(user.id), user.get_id()):
        client.set_cookie("session", _forged_cookie(session_id))
        response = client.get("/admin/")  # ...and a cookie signed with it is no one's
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def _session_cookie(response):
    cookies = [value for value in response.headers.getlist("Set-Cookie") if "session=" in value]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_the_session_cookie_is_samesite_lax_and_httponly(app, client, make_account):
    make_account("ana")
    cookie = _session_cookie(sign_in(client, "ana"))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # development runs on plain http://127.0.0.1


def test_in_production_the_session_cookie_is_secure_and_hsts_is_sent(production, make_account):
    make_account("ana")
    client = create_app(production).test_client()
    response = sign_in(client, "ana")
    cookie = _session_cookie(response)
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "max-age=" in client.get("/admin/login").headers["Strict-Transport-Security"]


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/admin/login").headers


# ---------------------------------------------------------------- real processes


def _env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in SAFE and k != "PORT"}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", **overrides)
    return env


def test_the_cli_refuses_unsafe_production_settings_with_a_plain_message(tmp_path):
    env = _env(ASUH_ENV="production", SECRET_KEY="", DATABASE_URL=f"sqlite:///{tmp_path}/a.db")
    done = subprocess.run(
        [str(BIN / "asuh"), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    for name in ("SECRET_KEY", "WEBHOOK_TOKEN", "SMS_GATEWAY"):
        assert f"set {name}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "a.db").exists()  # nothing was touched


@pytest.mark.parametrize(
    "name, value, said",
    [
        ("SEND_CLAIM_SECONDS", "5min", "SEND_CLAIM_SECONDS must be a whole number, not '5min'"),
        ("KANNEL_TIMEOUT", "ten", "KANNEL_TIMEOUT must be a number, not 'ten'"),
        ("TRACK_LESSONS_PER_WEEK", "caregiver=two", "TRACK_LESSONS_PER_WEEK must look like"),
        ("TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES must be 0 or the number of reverse proxies"),
        ("TRUSTED_PROXIES", "one", "TRUSTED_PROXIES must be 0 or the number of reverse proxies"),
    ],
)
def test_a_number_setting_that_is_no_number_stops_start_up_plainly(tmp_path, name, value, said):
    """Even in development: a typo must not start a service that behaves unlike its settings."""
    env = _env(ASUH_ENV="development", DATABASE_URL=f"sqlite:///{tmp_path}/a.db", **{name: value})
    done = subprocess.run(
        [str(BIN / "asuh"), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert said in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "a.db").exists()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_refuses_unsafe_production_settings_with_a_plain_message():
    env = _env(ASUH_ENV="production", WEBHOOK_TOKEN="dev-token", PORT=str(_free_port()))
    command = [str(BIN / "gunicorn"), "-c", "python:service.gunicorn_conf", "service:create_app()"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "set WEBHOOK_TOKEN" in done.stderr and "set SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def _other_address():
    """An address of this machine that is not loopback, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent, a route is chosen
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _answers(host, port):
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def _web_from_procfile(env):
    """The Procfile's `web` process through honcho, as `make run` starts it; its output lines."""
    process = subprocess.Popen(
        [str(BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"), "-d", str(ROOT), "web"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines, deadline = [], time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Listening at:" in line:
            break  # serving; otherwise read on until honcho ends
    return process, lines


def _stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_run_serves_the_web_on_127_0_0_1_only(tmp_path):
    from service.devrun import development_env

    port = _free_port()
    env = development_env(_env(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/a.db"))
    process, lines = _web_from_procfile(env)
    try:
        assert any(f"Listening at: http://127.0.0.1:{port}" in line for line in lines), lines
        assert _answers("127.0.0.1", port)
        other = _other_address()
        if other:
            assert not _answers(other, port), f"reachable on {other}"
    finally:
        _stop(process)


def test_the_procfile_web_is_production_and_public_by_default(tmp_path):
    port = _free_port()
    env = _env(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/a.db", **SAFE)
    env.pop("ASUH_ENV")
    process, lines = _web_from_procfile(env)
    try:
        assert any(f"Listening at: http://0.0.0.0:{port}" in line for line in lines), lines
    finally:
        _stop(process)
    env = _env(PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/a.db")
    process, lines = _web_from_procfile(env)  # no ASUH_ENV and no secrets: production refuses
    try:
        assert any("set SECRET_KEY" in line for line in lines), lines
    finally:
        _stop(process)
