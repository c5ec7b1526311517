"""`rq cron workers.cron`: the clock. Each entry names a job and how often it runs.

Jobs are looked up by name so this file stays the single list of what runs on a schedule;
an entry whose module is not written yet is skipped with a log line.
"""

import importlib
import logging

from rq import cron

from workers.queues import OUTBOUND, SCHEDULE

log = logging.getLogger("asuh.cron")

# (module, function, queue, seconds between runs)
SCHEDULE_TABLE = (
    ("workers.dispatch", "tick", SCHEDULE, 60),  # due lessons, reminders, summaries
    ("workers.inbound", "sweep_unprocessed", SCHEDULE, 60),  # inbound SMS whose job never ran
    ("workers.send", "sweep_pending", OUTBOUND, 60),  # outbox rows whose send job never ran
)


def register_all(scheduler=cron):
    """Register every entry whose job exists; returns the names registered."""
    names = []
    for module_path, function, queue, seconds in SCHEDULE_TABLE:
        try:
            func = getattr(importlib.import_module(module_path), function)
        except (ImportError, AttributeError):
            log.warning("cron: %s.%s not available, skipped", module_path, function)
            continue
        scheduler.register(func, queue_name=queue, interval=seconds, job_timeout=600)
        names.append(f"{module_path}.{function}")
    return names


register_all()
