"""GET /healthz: is the database there, is Redis there."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from service.models import db
from service.redis_client import get_redis, redis_ok

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 when both answer, 503 otherwise, with which one failed."""
    try:
        db.session.execute(text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        database = False
    cache = redis_ok(get_redis())
    status = 200 if database and cache else 503
    return jsonify(database=database, redis=cache, ok=status == 200), status
