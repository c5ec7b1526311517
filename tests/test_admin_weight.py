"""Pages stay light for slow connections and cost the same few queries however much data."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from service.models import db
from service.web.admin.periods import week_start

LIMIT = 200 * 1024


def fill(factory, dash, villages, per_village):
    """Villages with households, facilitators, messages, meetings and callbacks."""
    made = []
    for _ in range(villages):
        village = factory.village()
        factory.facilitator(village)
        homes = [factory.household(village) for _ in range(per_village)]
        for home in homes:
            factory.migrant(home, phone=f"+8529{village.id:03d}{home.id:04d}")
            dash.message(to=home.caregivers[0].phone, village=village, sent_at=week_start())
        dash.meeting(village, week_start(), attended=homes[:1])
        dash.callback(homes[0])
        made.append(village)
    return made


def pages(village_id):
    return [
        "/admin/",
        "/admin/villages",
        f"/admin/villages/{village_id}",
        "/admin/households",
        "/admin/messages",
        "/admin/facilitators",
        "/admin/audit",
        "/admin/content",
        "/simulator/",
    ]


@contextmanager
def counting_queries():
    """Count the SQL statements sent while the block runs."""
    db.session.remove()  # each request starts with an empty session, as in production
    count = [0]

    def seen(*_args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_every_page_with_its_styles_is_under_200_kb(admin_client, factory, dash):
    (village,) = fill(factory, dash, villages=1, per_village=60)
    for n in range(60):
        dash.message(body="Pelajaran " + "x" * 300 + str(n))
    css = admin_client.get("/admin/static/asuh.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    for path in pages(village.id):
        page = admin_client.get(path)
        assert page.status_code == 200, path
        assert len(page.data) + len(css.data) < LIMIT, (path, len(page.data))


def test_pages_load_no_web_fonts_scripts_or_outside_resources(admin_client, factory, dash):
    (village,) = fill(factory, dash, villages=1, per_village=2)
    css = admin_client.get("/admin/static/asuh.css").get_data(as_text=True)
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    for path in pages(village.id):
        page = admin_client.get(path).get_data(as_text=True)
        assert not re.search(r'<(link|script|img)[^>]+(href|src)="https?://', page), path
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert scripts == (["/admin/static/simulator.js"] if path == "/simulator/" else []), path
        if path != "/simulator/":
            assert "<script" not in page, path  # the dashboard needs no JavaScript at all


@pytest.mark.parametrize("page_index", range(8))
def test_query_count_does_not_grow_with_the_data(admin_client, factory, dash, page_index):
    small = fill(factory, dash, villages=2, per_village=2)
    path = pages(small[0].id)[page_index]
    admin_client.get(path)  # warm caches (the lesson catalog, the account)
    with counting_queries() as few:
        assert admin_client.get(path).status_code == 200
    fill(factory, dash, villages=6, per_village=6)
    with counting_queries() as many:
        assert admin_client.get(path).status_code == 200
    assert many[0] == few[0], path
