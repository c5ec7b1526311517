"""`asuh worker`: an RQ worker on all the project's queues, with RQ's scheduler."""

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker

from workers.queues import ALL, worker_connection


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="work until the queues are empty, then exit")
def worker(burst):
    """Serve inbound first, then outbound, then scheduled work."""
    connection = worker_connection(current_app.config["REDIS_URL"])
    runner = SimpleWorker(list(ALL), connection=connection)
    runner.work(burst=burst, with_scheduler=True)
