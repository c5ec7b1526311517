"""Gunicorn entry for bench/ussd.py: the real app, plus a baseline route for comparison.

The baseline (`POST /bench/baseline`) parses the same form and does one Redis GET and one
SETEX (as SET ... EX) on a session-sized value: the floor every USSD hop stands on. It is
added only when ASUH_BENCH_BASELINE=1, and only by this module: the production app never
has it.
"""

import os

from flask import Blueprint, Response, current_app, request

from service import create_app
from service.redis_keys import BENCH_BASELINE, key

STATE_LIKE = b'{"p":"+6285000000042","r":"caregiver","l":"id","i":42,"v":1,"h":42,' + (
    b'"s":[["main",0,null],["lesson",1,[0,"6-11","Ibu Sri 42"]]],"n":2,"c":1234567890}'
)
TTL = 300

baseline = Blueprint("bench_baseline", __name__)


@baseline.post("/bench/baseline")
def hop():
    """Read and rewrite one session-sized key, like a USSD hop's state, and nothing else."""
    name = key(BENCH_BASELINE, session_id=request.form.get("sessionId", ""))
    redis = current_app.extensions["redis"]
    state = redis.get(name)
    redis.set(name, state or STATE_LIKE, ex=TTL)
    return Response("CON baseline", mimetype="text/plain")


def create():
    """The production app, with the baseline route when the bench asks for it."""
    app = create_app()
    if os.environ.get("ASUH_BENCH_BASELINE") == "1":
        app.register_blueprint(baseline)
    return app
