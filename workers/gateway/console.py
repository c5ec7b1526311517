"""The default gateway: writes each SMS to the log and calls it sent."""

import logging
import uuid

from workers.gateway.base import SendResult

log = logging.getLogger("asuh.sms")


class ConsoleGateway:
    """For laptops and demos: nothing leaves the machine."""

    name = "console"

    @classmethod
    def from_config(cls, config):
        """Nothing to configure: every laptop can run it."""
        return cls()

    def send(self, batch):
        """Log the body once per recipient and report each as sent."""
        results = []
        for phone in batch.phones:
            log.info("SMS to %s: %s", phone, batch.body)
            results.append(
                SendResult(
                    phone=phone,
                    ok=True,
                    provider_id=f"console-{uuid.uuid4().hex[:16]}",
                    status="Sent",
                    parts=None,
                )
            )
        return results
