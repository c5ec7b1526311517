"""Signing in: argon2 accounts from `asuh admin create`, failed attempts slowed then refused."""

import time

import pytest

from service import create_app, redis_keys
from service.redis_client import get_redis
from service.web import auth
from tests.fixtures.dashboard import PASSWORD, sign_in

NOW = 1_800_000_000.0


def test_an_account_made_by_the_cli_can_sign_in(app, client, runner):
    result = runner.invoke(args=["admin", "create", "--username", "budi"], input="sawah-hijau-77\n")
    assert result.exit_code == 0, result.output
    response = sign_in(client, "budi", "sawah-hijau-77")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_demo_login_from_seed_demo_works(app, client, runner):
    from service.cli.seed import DEMO_LOGIN

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert sign_in(client, *DEMO_LOGIN).status_code == 302


def test_a_wrong_password_is_refused_with_a_plain_message(app, client, make_account):
    make_account("ana")
    response = sign_in(client, "ana", "wrong-password")
    assert response.status_code == 401
    assert b"Wrong username or password" in response.data
    assert client.get("/admin/").status_code == 302


def test_unknown_and_known_names_get_the_same_answer(app, client, make_account):
    make_account("ana")
    known = sign_in(client, "ana", "wrong-password", address="10.0.0.7")
    unknown = sign_in(client, "nobody", "wrong-password", address="10.0.0.8")
    assert known.status_code == unknown.status_code == 401


def test_failed_logins_for_an_account_are_slowed_then_refused(app, client, make_account):
    make_account("ana")
    statuses = [
        sign_in(client, "ana", "wrong", address=f"10.1.0.{n}").status_code for n in range(4)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429  # the fourth try comes too soon after the third failure
    slowed = sign_in(client, "ana", PASSWORD, address="10.1.0.9")
    assert slowed.status_code == 429
    assert b"Wait" in slowed.data and int(slowed.headers["Retry-After"]) >= 1


def test_a_slowed_account_may_try_again_once_the_delay_has_passed(app):
    for _ in range(3):
        auth.record_failure("ana", "10.0.0.1", now=NOW)
    assert not auth.login_verdict("ana", "10.0.0.2", now=NOW + 1).allowed
    later = auth.login_verdict("ana", "10.0.0.2", now=NOW + 3)
    assert later.allowed


def test_the_delay_grows_with_each_failure(app):
    waits = []
    for count in range(3, 9):
        get_redis().delete(redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username="ana"))
        for _ in range(count):
            auth.record_failure("ana", f"10.2.0.{count}", now=NOW)
        waits.append(auth.login_verdict("ana", "10.9.9.9", now=NOW).wait)
    assert waits == sorted(waits) and waits[0] < waits[-1]


def test_after_ten_failures_the_account_is_refused_for_the_window(app, client, make_account):
    make_account("ana")
    now = time.time()  # the sign-in below runs on the real clock
    for n in range(10):
        auth.record_failure("ana", f"10.3.0.{n}", now=now)
    verdict = auth.login_verdict("ana", "10.3.1.1", now=now + 120)
    assert not verdict.allowed and verdict.refused
    assert verdict.wait == auth.ACCOUNT_POLICY.window - 120
    refused = sign_in(client, "ana", PASSWORD, address="10.3.1.1")
    assert refused.status_code == 429 and b"refused" in refused.data
    assert client.get("/admin/").status_code == 302


def test_the_refusal_lifts_when_the_window_ends(app):
    for n in range(10):
        auth.record_failure("ana", f"10.4.0.{n}", now=NOW)
    assert auth.login_verdict("ana", "x", now=NOW + auth.ACCOUNT_POLICY.window + 1).allowed


def test_failures_are_forgotten_by_redis_after_the_window(app):
    auth.record_failure("ana", "10.5.0.1", now=NOW)
    name = redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username="ana")
    assert 0 < get_redis().ttl(name) <= auth.ACCOUNT_POLICY.window


def test_a_successful_login_clears_the_account_counter(app, client, make_account):
    make_account("ana")
    sign_in(client, "ana", "wrong", address="10.6.0.1")
    sign_in(client, "ana", "wrong", address="10.6.0.2")
    assert sign_in(client, "ana", PASSWORD, address="10.6.0.3").status_code == 302
    name = redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username="ana")
    assert get_redis().exists(name) == 0


def test_one_address_guessing_many_accounts_is_slowed_too(app, client, make_account):
    make_account("ana")
    for n in range(auth.ADDRESS_POLICY.slow_after):
        assert sign_in(client, f"user{n}", "guess", address="10.7.7.7").status_code == 401
    response = sign_in(client, "ana", PASSWORD, address="10.7.7.7")
    assert response.status_code == 429
    assert sign_in(client, "ana", PASSWORD, address="10.7.7.8").status_code == 302


@pytest.mark.parametrize(
    "count, expected",
    [(0, True), (2, True), (3, False), (9, False), (10, False)],
)
def test_account_policy_by_failure_count(app, count, expected):
    for _ in range(count):
        auth.record_failure("siti", "10.8.0.1", now=NOW)
    assert auth.login_verdict("siti", "10.8.0.2", now=NOW).allowed is expected


def test_usernames_are_counted_case_insensitively(app):
    for _ in range(3):
        auth.record_failure("Ana", "10.9.0.1", now=NOW)
    assert not auth.login_verdict("ANA", "10.9.0.2", now=NOW).allowed


def sign_in_through_proxy(client, username, password, caller, proxy="10.9.0.1"):
    """A login form posted through a reverse proxy that names the caller in X-Forwarded-For."""
    forwarded = {"X-Forwarded-For": caller, "X-Forwarded-Proto": "https"}
    return sign_in(client, username, password, address=proxy, headers=forwarded)


def test_behind_a_trusted_proxy_the_throttle_counts_callers_not_the_proxy(app_config, make_account):
    client = create_app({**app_config, "TRUSTED_PROXIES": 1}).test_client()
    make_account("ana")
    for n in range(auth.ADDRESS_POLICY.slow_after):
        response = sign_in_through_proxy(client, f"user{n}", "guess", caller="203.0.113.7")
        assert response.status_code == 401
    assert sign_in_through_proxy(client, "ana", PASSWORD, "203.0.113.7").status_code == 429
    # the next villager behind the same proxy is not locked out by the guesser
    assert sign_in_through_proxy(client, "ana", PASSWORD, "203.0.113.8").status_code == 302


def test_without_trusted_proxies_a_forwarded_header_cannot_pick_a_fresh_address(
    client, make_account
):
    make_account("ana")
    for n in range(auth.ADDRESS_POLICY.slow_after):
        response = sign_in_through_proxy(client, f"user{n}", "guess", caller=f"198.51.100.{n}")
        assert response.status_code == 401
    assert sign_in_through_proxy(client, "ana", PASSWORD, "198.51.100.99").status_code == 429
