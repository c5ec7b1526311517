"""Africa's Talking through its official SDK; AT_BASE_URL can point it at another host."""

import logging

import requests
from africastalking.Service import AfricasTalkingException, validate_phone
from africastalking.SMS import SMSService

from workers.gateway.base import SendResult

log = logging.getLogger("asuh.sms.at")

ACCEPTED = {100, 101, 102}  # Processed, Sent, Queued
RETRYABLE = {401, 405, 500, 501}  # RiskHold, InsufficientBalance, InternalServerError, GatewayError


class AfricasTalkingGateway:
    """One SDK request per batch: identical bodies go to many recipients at once."""

    name = "africastalking"

    def __init__(self, username, api_key, sender_id=None, base_url=None):
        self.sms = SMSService(username, api_key)
        if base_url:
            self.sms._baseUrl = base_url.rstrip("/") + "/version1"  # as the SDK builds it
        self.sender_id = sender_id or None

    @classmethod
    def from_config(cls, config):
        """Build from the app's AT_* settings."""
        return cls(
            config["AT_USERNAME"],
            config["AT_API_KEY"],
            config.get("AT_SENDER_ID"),
            config.get("AT_BASE_URL"),
        )

    def send(self, batch):
        """Send one body to the batch's phones; a result for every phone, whatever happened."""
        valid = [phone for phone in batch.phones if validate_phone(phone)]
        results = [
            SendResult(phone=p, ok=False, status="InvalidPhoneNumber", reason="InvalidPhoneNumber")
            for p in batch.phones
            if p not in valid
        ]
        if not valid:
            return results
        try:
            reply = self.sms.send(batch.body, valid, sender_id=self.sender_id)
        except (AfricasTalkingException, requests.RequestException, ValueError) as error:
            log.warning("gateway request failed for %d recipients: %s", len(valid), error)
            return results + [_request_failed(phone, error) for phone in valid]
        return results + _per_recipient(reply, valid)


def _request_failed(phone, error):
    reason = f"gateway error: {str(error)[:80]}"
    return SendResult(phone=phone, ok=False, status="RequestFailed", retryable=True, reason=reason)


def _per_recipient(reply, phones):
    """Map AT's Recipients list back to our phones; a phone AT did not mention is retried."""
    try:
        recipients = reply["SMSMessageData"]["Recipients"]
    except (TypeError, KeyError):
        return [_request_failed(phone, f"unexpected reply {str(reply)[:60]}") for phone in phones]
    by_number = {entry.get("number"): entry for entry in recipients}
    return [_result(phone, by_number.get(phone)) for phone in phones]


def _result(phone, entry):
    if entry is None:
        return _request_failed(phone, "recipient missing from reply")
    code = int(entry.get("statusCode", 0))
    status = str(entry.get("status", ""))
    ok = code in ACCEPTED
    message_id = entry.get("messageId")
    return SendResult(
        phone=phone,
        ok=ok,
        provider_id=message_id if ok and message_id not in (None, "None") else None,
        status=status,
        cost=entry.get("cost") if ok else None,
        parts=entry.get("messageParts") if ok else None,
        retryable=not ok and code in RETRYABLE,
        reason=None if ok else status or f"statusCode {code}",
    )
