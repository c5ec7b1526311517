"""Nobody reads the dashboard or uses the simulator without signing in; roles are enforced."""

import re

import pytest

from service.models import AuditLog, Village, db
from tests.fixtures.dashboard import form_token, sign_in

PUBLIC = {"admin.login", "admin.static", "admin.choose_language"}  # the sign-in page's language


def guarded_routes(app):
    """Every (method, path) of the dashboard and simulator, with sample ids filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("admin.", "simulator.")) or rule.endpoint in PUBLIC:
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_guarded_route_list_is_complete(app):
    paths = {path for _, path in guarded_routes(app)}
    expected = {
        "/admin/",
        "/admin/villages",
        "/admin/villages.csv",
        "/admin/households",
        "/admin/messages.csv",
        "/admin/content",
        "/admin/audit.csv",
        "/simulator/",
        "/simulator/press",
        "/simulator/sms",
        "/admin/facilitators/1/edit",
    }
    assert expected <= paths


def test_every_page_and_export_refuses_anonymous_users(app, client):
    for method, path in guarded_routes(app):
        response = client.open(path, method=method)
        if path.endswith(".csv"):
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 302, (method, path)
            assert "/admin/login?next=" in response.headers["Location"], (method, path)


def test_anonymous_posts_change_nothing(app, client, factory):
    village = factory.village("Sakra")
    client.post(f"/admin/villages/{village.id}/edit", data={"name": "Hacked"})
    client.post("/admin/villages/new", data={"name": "Fake", "district": "x", "province": "y"})
    db.session.expire_all()
    assert [v.name for v in db.session.scalars(db.select(Village))] == ["Sakra"]


def test_login_sends_the_officer_back_to_the_page_asked_for(app, client, make_account):
    make_account("ana")
    token = form_token(client, "/admin/login?next=/admin/villages")
    response = client.post(
        "/admin/login?next=/admin/villages",
        data={"username": "ana", "password": "kebun-pisang-2026", "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/villages"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_login_never_redirects_off_site(app, client, make_account, target):
    make_account("ana")
    token = form_token(client)
    response = client.post(
        "/admin/login",
        query_string={"next": target},
        data={"username": "ana", "password": "kebun-pisang-2026", "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"


def test_a_post_without_the_csrf_token_is_refused(admin_client, factory):
    village = factory.village("Oelnasi")
    response = admin_client.post(
        f"/admin/villages/{village.id}/edit",
        data={
            "name": "Renamed",
            "district": "Kupang",
            "province": "NTT",
            "timezone": "Asia/Makassar",
            "language": "id",
        },
    )
    assert response.status_code == 400
    assert b"expired" in response.data
    db.session.refresh(village)
    assert village.name == "Oelnasi"


def test_the_login_form_itself_needs_its_token(app, client, make_account):
    make_account("ana")
    response = client.post(
        "/admin/login", data={"username": "ana", "password": "kebun-pisang-2026"}
    )
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_logout_ends_the_session(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    token = form_token(admin_client, "/admin/")
    response = admin_client.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_logout_by_a_plain_link_is_not_possible(admin_client):
    assert admin_client.get("/admin/logout").status_code == 405
    assert admin_client.post("/admin/logout").status_code == 400  # no token
    assert admin_client.get("/admin/").status_code == 200


def test_a_session_cookie_signed_with_another_key_is_worthless(app, admin_client):
    assert admin_client.get("/admin/").status_code == 200
    app.secret_key = "another-secret"
    app.config["SECRET_KEY"] = "another-secret"
    assert admin_client.get("/admin/").status_code == 302


VIEWER_REFUSED = [
    ("GET", "/admin/villages/new"),
    ("GET", "/admin/villages/{village}/edit"),
    ("GET", "/admin/facilitators/new"),
    ("GET", "/admin/facilitators/{facilitator}/edit"),
]


def test_viewers_cannot_open_the_forms_that_change_things(viewer_client, factory):
    village = factory.village("Kanigoro")
    facilitator = factory.facilitator(village)
    for method, path in VIEWER_REFUSED:
        url = path.format(village=village.id, facilitator=facilitator.id)
        assert viewer_client.open(url, method=method).status_code == 403, url


def test_viewers_cannot_change_things_even_with_a_valid_token(viewer_client, factory):
    village = factory.village("Kanigoro")
    token = form_token(viewer_client, "/admin/")
    response = viewer_client.post(
        f"/admin/villages/{village.id}/edit",
        data={
            "name": "Renamed",
            "district": "Blitar",
            "province": "Jawa Timur",
            "timezone": "Asia/Jakarta",
            "language": "id",
            "csrf_token": token,
        },
    )
    assert response.status_code == 403
    assert (
        viewer_client.post("/simulator/press", data={"key": "1", "csrf_token": token}).status_code
        == 403
    )
    db.session.refresh(village)
    assert village.name == "Kanigoro"
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditLog.id)).where(AuditLog.action == "village.edit")
        )
        == 0
    )


def test_viewers_read_every_page_but_see_no_edit_buttons(viewer_client, factory):
    village = factory.village("Kanigoro")
    paths = ["/admin/", "/admin/villages", f"/admin/villages/{village.id}", "/admin/households"]
    paths += ["/admin/messages", "/admin/content", "/admin/audit", "/admin/facilitators"]
    for path in paths:
        response = viewer_client.get(path)
        assert response.status_code == 200, path
        assert b"Add a village" not in response.data and b"Edit village" not in response.data


def test_admins_see_the_edit_buttons(admin_client, factory):
    village = factory.village("Kanigoro")
    assert b"Add a village" in admin_client.get("/admin/villages").data
    assert b"Edit village" in admin_client.get(f"/admin/villages/{village.id}").data


def test_the_simulator_tells_viewers_it_needs_an_admin(viewer_client):
    page = viewer_client.get("/simulator/")
    assert page.status_code == 200
    assert b"needs an admin account" in page.data
    assert b'id="keys"' not in page.data


def test_sign_in_records_the_last_login(app, client, make_account):
    user = make_account("ana")
    assert user.last_login_at is None
    assert sign_in(client, "ana").status_code == 302
    db.session.refresh(user)
    assert user.last_login_at is not None
