"""How numbers, rates and times read on the dashboard: in the officer's language (1.234 in
Indonesian, 1,234 in English; 30 Nov 2026), times on the programme's clock (WIB)."""

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from service.web.admin.periods import local
from service.web.locale import ui_language


def number(value):
    """12.345 / 12,345; a dash for nothing."""
    return "—" if value is None else format_decimal(value, format="#,##0.###", locale=ui_language())


def percent(rate):
    """87%; a dash when there is nothing to divide."""
    return "—" if rate is None else format_percent(rate, format="#,##0%", locale=ui_language())


def when(moment):
    """12 Jan 2026 14:05, WIB-clock time."""
    if moment is None:
        return "—"
    return format_datetime(local(moment), "d MMM yyyy HH:mm", locale=ui_language())


def day(moment):
    """12 Jan 2026."""
    return "—" if moment is None else format_date(local(moment), "d MMM yyyy", locale=ui_language())


def short_day(moment):
    """12 Jan: for chart labels."""
    return format_date(local(moment), "d MMM", locale=ui_language())


def money(amount):
    """56.750 for whole amounts (rupiah has no cents in practice), else 1.250,50."""
    pattern = "#,##0" if float(amount).is_integer() else "#,##0.00"
    return format_decimal(amount, format=pattern, locale=ui_language())


def init_app(app):
    """Register the filters once per app."""
    app.jinja_env.filters.update(
        number=number, percent=percent, when=when, day=day, short_day=short_day, money=money
    )
