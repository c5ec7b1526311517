"""`rq cron workers.cron`: the clock. Each entry names a job and how often it runs.

Jobs are named by module and function so this file stays the single list of what runs on a
schedule; a name that does not resolve stops the clock at start-up instead of being skipped.
The clock only enqueues: the jobs run in `asuh worker`, which builds the app.
"""

import importlib

from rq import cron

from workers.queues import OUTBOUND, SCHEDULE

# (module, function, queue, seconds between runs)
SCHEDULE_TABLE = (
    ("workers.tick", "tick", SCHEDULE, 60),  # due lessons, reminders, summaries
    ("workers.inbound", "sweep_unprocessed", SCHEDULE, 60),  # inbound SMS whose job never ran
    ("workers.send", "sweep_pending", OUTBOUND, 60),  # outbox rows whose send job never ran
)


def register_all(scheduler=cron):
    """Register every entry; returns the names registered."""
    names = []
    for module_path, function, queue, seconds in SCHEDULE_TABLE:
        func = getattr(importlib.import_module(module_path), function)
        scheduler.register(func, queue_name=queue, interval=seconds, job_timeout=600)
        names.append(f"{module_path}.{function}")
    return names


register_all()
