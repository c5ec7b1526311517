"""The villages table (aggregated in SQL, sortable), the page per village and its CSV."""

import csv
import io
from datetime import timedelta

from service.models import utcnow
from service.web.admin.queries import villages

DAY = timedelta(days=1)


def busy_village(factory, dash, name, households, delivered, failed, attended, callbacks):
    """A village with households, SMS, a past meeting and open callback requests."""
    village = factory.village(name)
    homes = [factory.household(village) for _ in range(households)]
    for status in ["delivered"] * delivered + ["failed"] * failed:
        dash.message(village=village, status=status, sent_at=utcnow() - DAY)
    dash.meeting(village, utcnow() - 10 * DAY, attended=homes)
    dash.meeting(village, utcnow() - 3 * DAY, attended=homes[:attended])
    dash.meeting(village, utcnow() + 3 * DAY)  # planned, not the last one held
    for home in homes[:callbacks]:
        dash.callback(home)
    dash.callback(homes[-1], status="done")
    return village


def test_each_village_row_carries_its_aggregates(app, factory, dash):
    busy_village(factory, dash, "Kanigoro", 4, delivered=3, failed=1, attended=2, callbacks=1)
    factory.village("Sepi")
    rows = {row.name: row for row in villages.village_rows()}
    kanigoro, sepi = rows["Kanigoro"], rows["Sepi"]
    assert (kanigoro.households, kanigoro.active_caregivers) == (4, 4)
    assert (kanigoro.sent, kanigoro.delivered, kanigoro.delivery_rate) == (4, 3, 0.75)
    assert kanigoro.attended == 2 and kanigoro.attendance_rate == 0.5
    assert kanigoro.last_meeting < utcnow() - 2 * DAY
    assert kanigoro.open_callbacks == 1
    assert (sepi.households, sepi.delivery_rate, sepi.last_meeting, sepi.open_callbacks) == (
        0,
        None,
        None,
        0,
    )


def test_the_table_sorts_by_any_column_both_ways(app, factory, dash):
    busy_village(factory, dash, "Anyar", 1, delivered=1, failed=1, attended=1, callbacks=0)
    busy_village(factory, dash, "Bumi", 3, delivered=1, failed=0, attended=0, callbacks=2)
    busy_village(factory, dash, "Candi", 2, delivered=3, failed=1, attended=1, callbacks=1)

    def by(key, desc=False):
        return [row.name for row in villages.village_rows(sort=key, descending=desc)]

    assert by("name") == ["Anyar", "Bumi", "Candi"]
    assert by("households", desc=True) == ["Bumi", "Candi", "Anyar"]
    assert by("delivery") == ["Anyar", "Candi", "Bumi"]
    assert by("attendance", desc=True) == ["Anyar", "Candi", "Bumi"]
    assert by("callbacks", desc=True) == ["Bumi", "Candi", "Anyar"]


def test_the_villages_page_sorts_from_its_headings(admin_client, factory, dash):
    busy_village(factory, dash, "Anyar", 1, delivered=1, failed=0, attended=1, callbacks=0)
    busy_village(factory, dash, "Bumi", 3, delivered=1, failed=0, attended=0, callbacks=0)
    page = admin_client.get("/admin/villages?sort=households&dir=desc").get_data(as_text=True)
    assert page.index(">Bumi<") < page.index(">Anyar<")
    assert 'aria-sort="descending"' in page
    page = admin_client.get("/admin/villages?sort=households&dir=asc").get_data(as_text=True)
    assert page.index(">Anyar<") < page.index(">Bumi<")
    assert admin_client.get("/admin/villages?sort=nonsense").status_code == 200


def test_the_village_page_shows_meetings_facilitators_and_waiting_callers(
    admin_client, factory, dash
):
    village = busy_village(
        factory, dash, "Sakra", 2, delivered=2, failed=0, attended=1, callbacks=1
    )
    factory.facilitator(village, name="Pak Lalu Ahmad")
    page = admin_client.get(f"/admin/villages/{village.id}").get_data(as_text=True)
    assert "Pak Lalu Ahmad" in page
    assert page.count("Balai desa") == 3
    assert "Mbah Sumini" in page  # the caregiver waiting for a call back
    assert '<svg class="chart"' in page
    assert admin_client.get("/admin/villages/9999").status_code == 404


def test_the_villages_csv_matches_the_table(admin_client, factory, dash):
    busy_village(factory, dash, "Kanigoro", 4, delivered=3, failed=1, attended=2, callbacks=1)
    response = admin_client.get("/admin/villages.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    (row,) = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["village"] == "Kanigoro" and row["households"] == "4"
    assert row["delivery_rate"] == "0.7500" and row["open_callback_requests"] == "1"
    assert row["attended_last_meeting"] == "2"


def test_one_village_row_equals_its_line_in_the_whole_table(app, factory, dash):
    busy_village(factory, dash, "Anyar", 2, delivered=1, failed=1, attended=1, callbacks=1)
    bumi = busy_village(factory, dash, "Bumi", 3, delivered=2, failed=0, attended=2, callbacks=2)
    (alone,) = villages.village_rows(village_id=bumi.id)
    assert alone == next(row for row in villages.village_rows() if row.id == bumi.id)
