"""The overview: headline numbers and three charts."""

from flask import current_app, render_template

from service.models import utcnow
from service.web.admin import charts
from service.web.admin.blueprint import bp
from service.web.admin.filters import short_day
from service.web.admin.queries import overview as numbers
from service.web.admin.queries import series, villages
from service.web.locale import gettext as _
from workers.gateway import last_error

GLANCE_ROWS = 8  # villages listed next to the rate chart, lowest delivery first


def weekly_chart(points, chart_id="sent-delivered", title=None):
    """Sent vs delivered bars for a list of WeekPoints."""
    labels = [short_day(point.start) for point in points]
    title = title or _("SMS sent and delivered per week")
    names = (_("Sent"), _("Delivered"))
    return charts.paired_bars(chart_id, title, labels, [p.values for p in points], names=names)


def enrollment_chart(points):
    labels = [short_day(point.start) for point in points]
    totals = [point.values[1] for point in points]
    title = _("Enrollments over time")
    return charts.area_line("enrollments", title, labels, totals, name=_("Enrolled"))


def village_rate_chart(rows):
    """Bars of each village's delivery rate, in the order given (worst first)."""
    bars = [
        (
            r.name,
            r.delivery_rate,
            _("%(delivered)s of %(sent)s", delivered=r.delivered, sent=r.sent),
        )
        for r in rows
    ]
    words = {"none": _("no villages yet"), "no_sms": _("no SMS sent"), "no_sms_short": _("no SMS")}
    title = _("Delivery rate by village, last 28 days")
    return charts.rate_bars("village-rates", title, bars, words=words)


@bp.get("/")
def overview():
    """What an officer sees first."""
    now = utcnow()
    weekly, enrolled = series.sent_and_delivered(now), series.enrollments_over_time(now)
    rates = villages.village_rows(now, sort="delivery")  # no SMS first, then the worst rate
    return render_template(
        "admin/overview.html",
        active="overview",
        stats=numbers.overview(now),
        weekly=weekly,
        enrolled=enrolled,
        rates=rates,
        weekly_svg=weekly_chart(weekly),
        enrolled_svg=enrollment_chart(enrolled),
        rates_svg=village_rate_chart(rates),
        glance=rates[:GLANCE_ROWS],
        gateway={"name": current_app.config["SMS_GATEWAY"], "error": last_error()},
    )
