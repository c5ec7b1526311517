"""The default gateway: writes each SMS to the log, calls it sent at a plausible price, and
reports it delivered a few seconds later (CONSOLE_REPORT_SECONDS), as a real network would."""

import logging
import uuid
from contextlib import suppress
from datetime import timedelta

from flask import current_app

from messages.gsm import segment_info
from workers.gateway.base import SendResult
from workers.queues import OUTBOUND, get_queue

log = logging.getLogger("asuh.sms")

PRICE_PER_PART = 250  # IDR: about what an Indonesian aggregator charges per SMS part
REPORT_JOB = "workers.console_reports.report_delivered"  # named, so no import cycle


class ConsoleGateway:
    """For laptops and demos: nothing leaves the machine."""

    name = "console"

    @classmethod
    def from_config(cls, config):
        """Nothing to configure: every laptop can run it."""
        return cls()

    def send(self, batch):
        """Log each recipient (masked, as every log line is) and report each as sent.

        The body is logged at DEBUG only: at INFO a log is no place for what people are told.
        """
        parts = segment_info(batch.body).segments
        results = []
        for phone in batch.phones:
            log.info("SMS to %s (%d characters)", phone, len(batch.body))
            log.debug("SMS to %s: %s", phone, batch.body)
            results.append(
                SendResult(
                    phone=phone,
                    ok=True,
                    provider_id=f"console-{uuid.uuid4().hex[:16]}",
                    status="Sent",
                    cost=f"IDR {PRICE_PER_PART * parts:.4f}",
                    parts=parts,
                )
            )
        _report_later([(result.provider_id, result.phone) for result in results])
        return results


def _report_later(phones_by_id):
    """A job in a few seconds marks them delivered; with no Redis, they simply stay sent."""
    seconds = current_app.config.get("CONSOLE_REPORT_SECONDS", 0)
    if seconds <= 0 or not phones_by_id:
        return
    with suppress(Exception):  # a demo without reports is still a demo
        get_queue(OUTBOUND).enqueue_in(timedelta(seconds=seconds), REPORT_JOB, phones_by_id)
