"""Africa's Talking: its whole protocol, SMS (through the official SDK; AT_BASE_URL can point it
at another host), its SMS callbacks, and the USSD request and answer format (CON/END)."""

import logging
from dataclasses import dataclass

import requests
from africastalking.Service import AfricasTalkingException, validate_phone
from africastalking.SMS import SMSService

from service.states import MessageStatus
from workers.gateway.base import DeliveryReport, SendResult
from workers.gateway.status import note_error

log = logging.getLogger("asuh.sms.at")

ACCEPTED = {100, 101, 102}  # Processed, Sent, Queued
RETRYABLE = {401, 405, 500, 501}  # RiskHold, InsufficientBalance, InternalServerError, GatewayError
# Delivery-report status words -> what the row becomes
REPORTS = {
    "Success": MessageStatus.DELIVERED,
    "Sent": MessageStatus.SENT,
    "Submitted": MessageStatus.SENT,
    "Buffered": MessageStatus.SENT,
    "Rejected": MessageStatus.FAILED,
    "Failed": MessageStatus.FAILED,
    "Expired": MessageStatus.FAILED,
    "AbsentSubscriber": MessageStatus.FAILED,
}
ABSENT = "AbsentSubscriber"  # the phone was off or out of reach: worth one later retry
NOT_THE_PHONE = {402}  # InvalidSenderId: our sender id, not the person's number
MAX_PROVIDER_ID = 80
USSD_MAX_REPLY = 182  # AT cuts a USSD answer after this many characters, "CON " included
USSD_SCREEN_CHARS = USSD_MAX_REPLY - len("CON ")  # what the menu text itself may use


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
            note_error(self.name, f"request failed: {str(error)[:200]}")
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
        phone_fault=code not in NOT_THE_PHONE,
    )


def inbound_fields(call):
    """AT's inbound callback (from, to, text, date, id[, linkId, networkCode]) as it is stored."""
    return {_clean(key): _clean(value) for key, value in call.form.items()}


def _clean(value):
    """Text a database will take: no NUL characters (PostgreSQL refuses them)."""
    return str(value).replace("\x00", "\ufffd")


def parse_report(call):
    """AT's delivery callback (id, status, phoneNumber[, failureReason]) as a DeliveryReport."""
    form = call.form
    provider_id = (form.get("id") or "").strip()
    if not provider_id or len(provider_id) > MAX_PROVIDER_ID:
        return None
    word = (form.get("status") or "").strip()
    status = REPORTS.get(word)
    reason = (form.get("failureReason") or "").strip() or word
    return DeliveryReport(
        status=status,
        provider_id=provider_id,
        reason=reason if status == MessageStatus.FAILED else None,
        phone_absent=ABSENT in (word, reason),
    )


@dataclass(frozen=True)
class UssdHop:
    """One USSD callback: the session, the caller, and every key so far joined by `*`."""

    session_id: str
    phone: str
    text: str


def ussd_hop(form):
    """AT's USSD callback (sessionId, serviceCode, phoneNumber, text[, networkCode])."""
    return UssdHop(form.get("sessionId", ""), form.get("phoneNumber", ""), form.get("text", ""))


def ussd_answer(text, ended):
    """`CON text` while the session goes on, `END text` when it ends; never over 182 chars."""
    answer = ("END " if ended else "CON ") + text
    if len(answer) > USSD_MAX_REPLY:
        log.warning("ussd: answer of %d characters cut: %r", len(answer), answer[:60])
    return answer[:USSD_MAX_REPLY]


def ussd_session_id(form):
    """The session an end-of-session notice (POST /ussd/events) is about."""
    return form.get("sessionId", "")
