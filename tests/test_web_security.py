"""The web edge under attack: headers, CSP-clean pages, sessions that end, redirects, sizes."""

import re
from html.parser import HTMLParser

import pytest

from service import create_app
from service.models import InboundMessage, db
from tests.conftest import TOKEN
from tests.fixtures.dashboard import PASSWORD, form_token, sign_in

REQUIRED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def page_paths(app, village, facilitator, home):
    """Every GET page of the dashboard and simulator, ids filled with real rows."""
    ids = {"village_id": village.id, "facilitator_id": facilitator.id, "household_id": home.id}
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.endpoint.startswith(("admin.", "simulator.")):
            continue
        if rule.endpoint in ("admin.static", "admin.login"):
            continue
        path = rule.rule
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        paths.append(path.replace("<lesson_id>", "fs01"))  # a lesson that has a session guide
    return paths + ["/simulator/?screen=inbox", "/simulator/?screen=compose"]


@pytest.fixture
def rows(factory):
    village = factory.village("Kanigoro")
    return village, factory.facilitator(village), factory.household(village)


def _read(response):
    """Consume a (possibly streamed) response before the next request starts."""
    response.get_data()
    return response


def test_every_response_carries_the_security_headers(app, admin_client, rows):
    responses = [_read(admin_client.get(path)) for path in page_paths(app, *rows)]
    responses += [
        admin_client.get("/admin/login"),
        admin_client.get("/healthz"),
        admin_client.get("/admin/static/asuh.css"),
        admin_client.post("/ussd", query_string={"token": "wrong"}),
        admin_client.get("/no-such-page"),
    ]
    for response in responses:
        for name, value in REQUIRED_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.path, name)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.blocked = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in names
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"{tag} {name}={value!r}")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.blocked.append(f"{tag} {name}={value!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.blocked.append(f"inline script: {data.strip()[:40]}")


def test_no_page_needs_inline_script_or_style_so_the_csp_breaks_nothing(app, admin_client, rows):
    token = form_token(admin_client, "/simulator/")
    admin_client.post("/simulator/number", data={"phone": "0812 9999 0001", "csrf_token": token})
    pages = [path for path in page_paths(app, *rows) if not path.endswith(".csv")]
    responses = [(path, admin_client.get(path)) for path in pages]
    responses.append(("/admin/login", app.test_client().get("/admin/login")))
    for path, response in responses:
        assert response.status_code == 200, path
        finder = InlineFinder()
        finder.feed(response.get_data(as_text=True))
        assert finder.blocked == [], (path, finder.blocked)


def test_the_simulator_script_is_served_from_static(admin_client):
    page = admin_client.get("/simulator/").get_data(as_text=True)
    src = re.search(r'<script src="([^"]+)"', page).group(1)
    script = admin_client.get(src)
    assert script.status_code == 200 and "javascript" in script.mimetype
    assert "data-key" in page and "dataset.key" in script.get_data(as_text=True)


# ---------------------------------------------------------------- sessions


def test_signing_out_voids_a_copy_of_the_cookie_taken_earlier(app, make_account):
    make_account("ana")
    browser = app.test_client()
    assert sign_in(browser, "ana").status_code == 302
    stolen = browser.get_cookie("session").value
    token = form_token(browser, "/admin/")
    assert browser.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/admin/").status_code == 302


def test_a_new_password_voids_every_session(app, make_account, runner):
    make_account("ana")
    browser = app.test_client()
    assert sign_in(browser, "ana").status_code == 302
    assert browser.get("/admin/").status_code == 200
    result = runner.invoke(args=["admin", "create", "--username", "ana"], input="new-pass-2026\n")
    assert result.exit_code == 0, result.output
    assert browser.get("/admin/").status_code == 302
    assert sign_in(browser, "ana", "new-pass-2026").status_code == 302


def test_signing_in_again_after_signing_out_works(app, make_account):
    make_account("ana")
    browser = app.test_client()
    sign_in(browser, "ana")
    browser.post("/admin/logout", data={"csrf_token": form_token(browser, "/admin/")})
    assert sign_in(browser, "ana").status_code == 302
    assert browser.get("/admin/").status_code == 200


# ---------------------------------------------------------------- where login sends people

HOSTILE_NEXT = [
    "/%09/evil.example",
    "/%0A/evil.example",
    "%0A",
    "/admin/%0d%0aSet-Cookie:%20x=1",
    "//evil.example",
    "///evil.example",
    "/%2F/evil.example",
    "%5C%5Cevil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%00",
    "%E2%80%A8/evil.example",
]


def _location_is_on_site(response):
    location = response.headers.get("Location", "")
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert not re.search(r"[\s\x00-\x1f\\]", location), location


@pytest.mark.parametrize("raw", HOSTILE_NEXT)
def test_login_never_sends_anyone_off_site_and_never_fails(app, client, make_account, raw):
    make_account("ana")
    token = form_token(client)
    response = client.post(
        f"/admin/login?next={raw}",
        data={"username": "ana", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    _location_is_on_site(response)
    again = client.get(f"/admin/login?next={raw}")  # signed in: redirected straight away
    assert again.status_code == 302
    _location_is_on_site(again)


def test_a_same_site_next_with_a_query_still_works(app, client, make_account):
    make_account("ana")
    token = form_token(client)
    response = client.post(
        "/admin/login?next=/admin/households%3Fq%3DSumini",
        data={"username": "ana", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/households?q=Sumini"


def test_the_bare_address_leads_to_the_dashboard_login(client):
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/admin/login"


# ---------------------------------------------------------------- sizes


def test_a_ten_megabyte_sms_is_refused_before_it_is_read(app, client):
    form = {"from": "+6281234567890", "to": "123", "id": "ATXbig", "text": "x" * 10_000_000}
    response = client.post("/sms/inbound", query_string={"token": TOKEN}, data=form)
    assert response.status_code == 413
    assert "at most" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 0


def test_a_long_but_real_sms_is_still_taken(app, client):
    text = "Pesan panjang dari nenek 😀 " * 30  # 10 parts, every emoji %-encoded
    form = {"from": "+6281234567890", "to": "123", "id": "ATXlong", "text": text}
    response = client.post("/sms/inbound", query_string={"token": TOKEN}, data=form)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/ussd", "/ussd/events", "/sms/delivery"])
def test_every_webhook_has_the_small_limit(client, path):
    response = client.post(path, query_string={"token": TOKEN}, data={"text": "1" * 100_000})
    assert response.status_code == 413


def test_dashboard_posts_are_limited_too(app, client):
    response = client.post("/admin/login", data={"username": "a" * 1_000_000, "password": "x"})
    assert response.status_code == 413
    assert "at most" in response.get_data(as_text=True)


# ---------------------------------------------------------------- Redis down


@pytest.fixture
def redis_down_client(app_config, make_account):
    make_account("ana")
    app = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    with app.app_context():
        yield app.test_client()


def test_with_redis_down_an_admin_still_signs_in_and_reads_the_dashboard(redis_down_client):
    assert sign_in(redis_down_client, "ana").status_code == 302
    for path in ("/admin/", "/admin/households", "/admin/messages", "/admin/audit"):
        assert redis_down_client.get(path).status_code == 200, path


def test_with_redis_down_failed_sign_ins_are_still_slowed(redis_down_client):
    statuses = [
        sign_in(redis_down_client, "ana", "wrong", address=f"10.9.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    refused = sign_in(redis_down_client, "ana", address="10.9.0.9")
    assert refused.status_code == 429 and b"Wait" in refused.data
