"""No 500 from anything a signed-in user can type: every query parameter of every page, fuzzed.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (which refuses NUL characters and
integers past its column types, where SQLite shrugs).
"""

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.models import AdminUser, OutboxMessage, db
from service.redis_client import get_redis
from tests.conftest import TOKEN
from tests.fixtures.dashboard import PASSWORD, form_token

ROOT = Path(__file__).resolve().parent.parent
# Every query parameter the dashboard and simulator read (a meta-test keeps this list whole).
PARAMS = (
    "page",
    "q",
    "actor",
    "action",
    "status",
    "kind",
    "village",
    "from",
    "to",
    "sort",
    "dir",
    "track",
    "language",
    "screen",
    "next",
    "draft",
)
NASTY = [
    "\x00",
    "abc\x00def",
    "9999-12-31",
    "0001-01-01",
    "99999999999999999999",
    str(2**31),
    str(2**63),
    "-1",
    "0",
    "²",
    "٣",
    "1e9",
    "%",
    "_",
    "\\",
    "' OR 1=1 --",
    "+62812****7890",
    "sms:+6281",
    "0812 3456 7890",
    "\ufffd",
    "\u202e",
    "x" * 5000,
]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)
queries = st.dictionaries(st.sampled_from(PARAMS), values, max_size=5)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def test_the_parameter_list_names_every_parameter_the_code_reads():
    web = ROOT / "service" / "web"
    dashboard = [*(web / "admin").rglob("*.py"), web / "simulator.py", web / "auth.py"]
    read = set()
    for path in dashboard:
        read |= set(re.findall(r"""args\.get\(\s*["']([^"']+)["']""", path.read_text()))
        read |= set(re.findall(r"""query_text\(\s*["']([^"']+)["']""", path.read_text()))
    assert read and read <= set(PARAMS), read - set(PARAMS)


@pytest.fixture
def pages(app, factory, dash):
    """Every GET page and export, with real rows behind each id."""
    village = factory.village("Kanigoro")
    facilitator = factory.facilitator(village, phone="+6281100000009")
    home = factory.household(village, phone="+6281234567890")
    dash.message(to="+6281234567890", village=village, body="Hubungi 0812 3456 7890")
    ids = {"village_id": village.id, "facilitator_id": facilitator.id, "household_id": home.id}
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.endpoint.startswith(("admin.", "simulator.")):
            continue
        if rule.endpoint in ("admin.static",):
            continue
        path = rule.rule
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        found.append(path)
    return found


def _get(client, path, query):
    response = client.get(path, query_string=query)
    response.get_data()  # CSVs stream: read them to the end, where a late error would show
    assert response.status_code < 500, (path, query)
    return response


@pytest.mark.parametrize("nasty", NASTY)
def test_every_page_takes_every_nasty_value_in_every_parameter(admin_client, pages, nasty):
    for path in pages:
        _get(admin_client, path, dict.fromkeys(PARAMS, nasty))


def _fuzz(client, pages, data):
    if data is None:  # the explicit example: the cases that failed when this test was written
        for query in ({"page": "9" * 30}, {"from": "0001-01-01", "to": "9999-12-31"}):
            _get(client, "/admin/messages", query)
        _get(client, "/admin/households", {"q": "\x00"})
        _get(client, "/admin/audit", {"actor": "\x00", "action": "a\x00"})
        return
    path = data.draw(st.sampled_from(pages))
    _get(client, path, data.draw(queries))


@FUZZ
@given(data=st.data())
@example(data=None)
def test_fuzzed_queries_never_fail_for_an_admin(admin_client, pages, data):
    _fuzz(admin_client, pages, data)


@FUZZ
@given(data=st.data())
@example(data=None)
def test_fuzzed_queries_never_fail_for_a_viewer(viewer_client, pages, data):
    _fuzz(viewer_client, pages, data)


@pytest.mark.parametrize("number", [0, 2**31, 2**63, 10**30])
def test_ids_past_any_column_are_not_found(admin_client, number):
    for path in ("/admin/villages/{}", "/admin/households/{}", "/admin/facilitators/{}/edit"):
        assert admin_client.get(path.format(number)).status_code == 404


# ---------------------------------------------------------------- typed into forms

texts = st.one_of(st.text(max_size=60), st.sampled_from(NASTY))


@FUZZ
@given(name=texts, district=texts, phone=texts)
def test_fuzzed_forms_never_fail(admin_client, factory, name, district, phone):
    village = factory.village()
    form = {
        "name": name,
        "district": district,
        "province": name,
        "timezone": "Asia/Jakarta",
        "language": "id",
        "csrf_token": form_token(admin_client, "/admin/villages/new"),
    }
    assert admin_client.post("/admin/villages/new", data=form).status_code < 500
    assert admin_client.post(f"/admin/villages/{village.id}/edit", data=form).status_code < 500
    form.update(phone=phone, village_id=str(village.id))
    assert admin_client.post("/admin/facilitators/new", data=form).status_code < 500
    for path, fields in (
        ("/simulator/number", {"phone": phone, "pick": name}),
        ("/simulator/press", {"key": name, "entry": phone}),
        ("/simulator/sms", {"text": name}),
    ):
        fields["csrf_token"] = form["csrf_token"]
        assert admin_client.post(path, data=fields).status_code < 500, path


@FUZZ
@given(
    username=st.one_of(texts, st.just("ana")),
    password=st.one_of(texts, st.just(PASSWORD)),
    raw_next=texts,
)
@example(username="ana\x00", password="x", raw_next="")
@example(username="ana", password=PASSWORD, raw_next="/\n/evil.example")
def test_fuzzed_sign_ins_never_fail(client, make_account, no_csrf, username, password, raw_next):
    if not db.session.scalar(db.select(AdminUser.id)):
        make_account("ana")
    get_redis().flushdb()  # the throttle would otherwise refuse every later example unread
    data = {"username": username, "password": password}
    response = client.post("/admin/login", query_string={"next": raw_next}, data=data)
    assert response.status_code < 500
    assert client.get("/admin/login", query_string={"next": raw_next}).status_code < 500
    client.delete_cookie("session")


def test_nul_bytes_in_a_delivery_report_are_answered_not_failed(app, client, dash):
    row = dash.message(status="sent")
    row.provider_id = "ATXid_nul"
    db.session.commit()
    for report in (
        {"id": "\x00", "status": "Success"},
        {"id": "ATXid_nul\x00", "status": "Failed", "failureReason": "\x00"},
        {"id": "ATXid_nul", "status": "Failed", "failureReason": "Absent\x00Subscriber"},
    ):
        response = client.post("/sms/delivery", query_string={"token": TOKEN}, data=report)
        assert response.status_code == 200, report
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, row.id)
    assert stored.status == "failed" and "\x00" not in (stored.failure_reason or "")
