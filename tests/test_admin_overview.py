"""The overview's numbers and charts, with the clock fixed so weeks and months are exact."""

from datetime import UTC, datetime, timedelta

from service.models import Caregiver, Enrollment, Household, db
from service.states import HouseholdStatus, PersonStatus
from service.web.admin import periods
from service.web.admin.queries import overview, series, villages

# Wednesday 11 March 2026, 12:00 WIB. The week began Monday 9 March 00:00 WIB (Sun 17:00 UTC);
# the month began 1 March 00:00 WIB (28 Feb 17:00 UTC).
NOW = datetime(2026, 3, 11, 5, 0, tzinfo=UTC)
WEEK_START = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
MONTH_START = datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_weeks_and_months_follow_jakarta_time():
    assert periods.week_start(NOW) == WEEK_START
    assert periods.month_start(NOW) == MONTH_START
    sunday_night_wib = datetime(2026, 3, 8, 16, 59, tzinfo=UTC)  # Sun 23:59 WIB
    assert periods.week_start(sunday_night_wib) == WEEK_START - timedelta(weeks=1)
    starts = periods.week_starts(NOW, 12)
    assert len(starts) == 12 and starts[-1] == WEEK_START
    assert starts[0] == WEEK_START - timedelta(weeks=11)


def test_people_are_counted_by_status(app, factory, dash):
    village = factory.village()
    home = factory.household(village)
    factory.household(village, status=HouseholdStatus.PENDING)
    quiet = factory.household(village)
    quiet.caregivers[0].status = PersonStatus.STOPPED
    gone = factory.household(village)
    gone.status = HouseholdStatus.INACTIVE
    factory.migrant(home)
    db.session.commit()
    stats = overview.overview(NOW)
    assert stats.households == 2  # home and quiet; gone is inactive, one is pending
    assert stats.pending_households == 1
    assert stats.active_caregivers == 1  # quiet's caregiver said STOP; gone's home is inactive
    assert stats.migrant_parents == 1


def test_lessons_this_week_count_from_monday_midnight_wib(app, factory, dash):
    village = factory.village()
    dash.message(village=village, sent_at=WEEK_START - SECOND)  # last week
    dash.message(village=village, sent_at=WEEK_START)
    dash.message(village=village, sent_at=WEEK_START + timedelta(hours=5))
    dash.message(village=village, sent_at=NOW - SECOND, status="sent")
    dash.message(village=village, sent_at=NOW - SECOND, status="failed")
    dash.message(village=village, sent_at=NOW - SECOND, kind="reply")  # not a lesson
    dash.message(village=village, status="pending", created_at=NOW - SECOND)  # not sent yet
    stats = overview.overview(NOW)
    assert (stats.lessons_sent, stats.lessons_delivered, stats.lessons_failed) == (4, 2, 1)
    assert stats.delivery_rate == 0.5


def test_no_lessons_means_no_rate_rather_than_zero(app):
    assert overview.overview(NOW).delivery_rate is None


def test_sms_cost_this_month_sums_the_gateway_charges(app, factory, dash):
    village = factory.village()
    dash.message(village=village, sent_at=MONTH_START - SECOND, cost=999.0)  # February
    dash.message(village=village, sent_at=MONTH_START, cost=250.0)
    dash.message(village=village, sent_at=NOW - SECOND, cost=500.5, kind="reply")
    stats = overview.overview(NOW)
    assert stats.sms_cost_month == 750.5 and stats.sms_sent_month == 2
    assert stats.currency == "IDR"


def test_meetings_and_attendance_this_month(app, factory, dash):
    village = factory.village()
    homes = [factory.household(village) for _ in range(3)]
    dash.meeting(village, MONTH_START - SECOND, attended=homes)  # February
    dash.meeting(village, MONTH_START + timedelta(days=2), attended=homes[:2])
    dash.meeting(village, NOW - timedelta(hours=1), attended=homes[:1])
    dash.meeting(village, NOW - timedelta(hours=2), attended=homes, status="cancelled")
    dash.meeting(village, NOW + timedelta(days=3))  # not held yet
    stats = overview.overview(NOW)
    assert (stats.meetings, stats.attendance) == (2, 3)


def test_opt_outs_in_all_and_this_week(app, dash):
    dash.opt_out("+6281300000001", created_at=WEEK_START - SECOND)
    dash.opt_out("+6281300000002", created_at=WEEK_START + SECOND)
    stats = overview.overview(NOW)
    assert (stats.opt_outs, stats.opt_outs_this_week) == (2, 1)


def test_sent_and_delivered_per_week_for_twelve_weeks(app, factory, dash):
    village = factory.village()
    dash.message(village=village, sent_at=WEEK_START + SECOND)
    dash.message(village=village, sent_at=WEEK_START + SECOND, status="sent")
    dash.message(village=village, sent_at=WEEK_START - SECOND, status="failed")
    dash.message(village=village, sent_at=WEEK_START - timedelta(weeks=12))  # too old
    for weeks_back in range(1, 12):  # exactly on each Monday 00:00 WIB: that week, not before
        dash.message(village=village, sent_at=WEEK_START - timedelta(weeks=weeks_back))
    points = series.sent_and_delivered(NOW)
    assert len(points) == 12
    assert points[-1].values == (2, 1) and points[-2].values == (2, 1)
    assert [p.values[0] for p in points[:-2]] == [1] * 10
    assert sum(p.values[0] for p in points) == 3 + 11


def test_the_weekly_series_can_be_narrowed_to_a_village(app, factory, dash):
    here, there = factory.village(), factory.village()
    dash.message(village=here, sent_at=WEEK_START + SECOND)
    dash.message(village=there, sent_at=WEEK_START + SECOND)
    assert series.sent_and_delivered(NOW, village_id=here.id)[-1].values == (1, 1)


def enrolled_at(factory, village, moment):
    """A household whose caregiver was enrolled at `moment`."""
    home = factory.household(village)
    db.session.execute(
        db.update(Enrollment)
        .where(Enrollment.caregiver_id == home.caregivers[0].id)
        .values(created_at=moment)
    )
    db.session.commit()


def test_enrollments_over_time_is_a_running_total(app, factory):
    village = factory.village()
    for moment in (
        WEEK_START - timedelta(weeks=20),
        WEEK_START - timedelta(weeks=3),
        WEEK_START + SECOND,
        WEEK_START + 2 * SECOND,
    ):
        enrolled_at(factory, village, moment)
    points = series.enrollments_over_time(NOW)
    assert points[0].values == (0, 1)
    assert points[-4].values == (1, 2)
    assert points[-1].values == (2, 4)
    assert [p.values[1] for p in points] == sorted(p.values[1] for p in points)


def test_villages_by_delivery_rate_put_the_silent_then_the_worst_first(app, factory, dash):
    good, poor = factory.village("Baik"), factory.village("Buruk")
    factory.village("Sepi")
    for status in ("delivered", "delivered", "delivered", "failed"):
        dash.message(village=good, status=status, sent_at=NOW - timedelta(days=1))
    for status in ("delivered", "failed"):
        dash.message(village=poor, status=status, sent_at=NOW - timedelta(days=2))
    dash.message(village=poor, status="failed", sent_at=NOW - timedelta(days=40))  # too old
    rates = villages.village_rows(NOW, sort="delivery")
    assert [(r.name, r.delivery_rate) for r in rates] == [
        ("Sepi", None),
        ("Buruk", 0.5),
        ("Baik", 0.75),
    ]


def test_the_overview_page_shows_the_numbers_and_three_svg_charts(admin_client, factory, dash):
    village = factory.village("Kanigoro")
    factory.household(village)
    dash.message(village=village, sent_at=periods.week_start())
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert page.count('<svg class="chart"') == 3
    for heading in (
        "Households",
        "Active caregivers",
        "Migrant parents",
        "Lessons sent this week",
        "Delivery rate this week",
        "Opt-outs",
        "Meetings this month",
        "SMS cost this month",
    ):
        assert heading in page
    assert "<script" not in page
    assert '<title id="sent-delivered-t">SMS sent and delivered per week</title>' in page
    assert "Kanigoro: 100%" in page  # the rate chart's accessible description


def test_household_counts_match_the_database(app, factory):
    village = factory.village()
    for _ in range(5):
        factory.household(village)
    assert overview.overview(NOW).households == db.session.scalar(
        db.select(db.func.count(Household.id))
    )
    assert overview.overview(NOW).active_caregivers == db.session.scalar(
        db.select(db.func.count(Caregiver.id))
    )
