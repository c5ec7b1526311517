"""`ASUH_TEST_NOW=2029-07-10T02:00:00Z make test`: the whole suite on another day and hour.

Catches tests (and code) that only pass at the time they were written: quiet hours, local
midnight, year and ISO-week boundaries, children growing into another age band. The clock is
moved in the test process only and keeps ticking; Redis and subprocesses keep the real one.
"""

import os

import time_machine

_travel = None


def pytest_configure(config):
    """Move the clock before any test module is imported."""
    global _travel
    _travel = time_machine.travel(os.environ["ASUH_TEST_NOW"], tick=True)
    _travel.start()


def pytest_report_header(config):
    return f"clock moved to {os.environ['ASUH_TEST_NOW']} (ASUH_TEST_NOW)"
