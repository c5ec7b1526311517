"""gunicorn's settings for the Procfile's `web`: refuse unsafe production settings before
listening, listen on 127.0.0.1 only in development, and log no query strings or numbers.

Override per deployment with GUNICORN_CMD_ARGS (e.g. "--bind 127.0.0.1:8000 --workers 4").
"""

import os

from service import config as asuh_config  # gunicorn reads a module-level `config` as a setting
from service import privacy

_settings = asuh_config.from_environment()
_host = "0.0.0.0" if asuh_config.is_production(_settings) else "127.0.0.1"

bind = [f"{_host}:{_settings['PORT']}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
# The path without its query string: queries carry the webhook token and dashboard searches
# (phone numbers); the referrer would repeat them, so it is left out too.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'


def on_starting(server):
    """Before binding: mask every log line, and stop with a plain message on unsafe settings."""
    privacy.mask_logs()
    # A RuntimeError here makes gunicorn print "Error: <the message>" and exit with status 1.
    asuh_config.refuse_unsafe(asuh_config.from_environment())
