"""`asuh worker`: an RQ worker on all the project's queues, with RQ's scheduler."""

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker

from workers.queues import ALL, worker_connection

LEVELS = click.Choice(["debug", "info", "warning", "error"], case_sensitive=False)


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="work until the queues are empty, then exit")
@click.option(
    "--logging-level",
    type=LEVELS,
    default="info",
    envvar="RQ_LOG_LEVEL",
    show_default=True,
    help="RQ's own lines (a line per job); warning keeps only trouble (env RQ_LOG_LEVEL)",
)
def worker(burst, logging_level):
    """Serve inbound first, then outbound, then scheduled work."""
    connection = worker_connection(current_app.config["REDIS_URL"])
    runner = SimpleWorker(list(ALL), connection=connection)
    runner.work(burst=burst, with_scheduler=True, logging_level=logging_level.upper())
