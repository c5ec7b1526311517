"""How numbers, rates and times read on the dashboard (times on the programme's clock, WIB)."""

from service.web.admin.periods import local


def number(value):
    """12,345; a dash for nothing."""
    return "—" if value is None else f"{value:,}"


def percent(rate):
    """87%; a dash when there is nothing to divide."""
    return "—" if rate is None else f"{rate:.0%}"


def when(moment):
    """12 Jan 2026 14:05 WIB-clock time."""
    return "—" if moment is None else local(moment).strftime("%d %b %Y %H:%M")


def day(moment):
    """12 Jan 2026."""
    return "—" if moment is None else local(moment).strftime("%d %b %Y")


def short_day(moment):
    """12 Jan: for chart labels."""
    moment = local(moment)
    return f"{moment.day} {moment:%b}"


def money(amount):
    """56,750 for whole amounts (rupiah has no cents in practice), else 1,250.50."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def init_app(app):
    """Register the filters once per app."""
    app.jinja_env.filters.update(
        number=number, percent=percent, when=when, day=day, short_day=short_day, money=money
    )
