"""What every request and response shares: security headers, a size limit, ids that fit."""

from flask import Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from service import config

# The dashboard and simulator load their scripts and styles from /admin/static only; the charts
# are inline SVG drawn with presentation attributes, which a CSP does not count as styles.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # dashboard URLs may hold a search; no other site sees them
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
LARGEST_ID = 2**31 - 1  # ids are INTEGER columns: a larger one can match nothing


class BoundedInt(IntegerConverter):
    """`<int:...>` in any URL stops at the largest id a table can hold: a 404 beyond, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def add_headers(response):
    """Every response, pages and webhooks alike, carries the same protections."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if config.is_production(current_app.config):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def too_large(error):
    """A plain 413 saying what the limit is, rather than a generic error page."""
    limit = request.max_content_length
    text = f"Request too large: this address accepts at most {limit} bytes.\n"
    return Response(text, status=413, mimetype="text/plain")


def init_app(app):
    """Converters first (before any route is added), then the response hooks."""
    app.url_map.converters["int"] = BoundedInt
    app.after_request(add_headers)
    app.register_error_handler(RequestEntityTooLarge, too_large)
