"""Kannel: the open-source SMS gateway that speaks SMPP to an Indonesian aggregator for us.

Its whole HTTP protocol lives here:
- out: one `GET /cgi-bin/sendsms` per recipient, each carrying its own delivery-report URL that
  names the outbox row, sent over keep-alive connections by a small pool of threads;
- in: the `sms-service` call (get-url with `text=%a`, or post-url with the text as the body)
  to /sms/kannel/inbound, read by `inbound_fields` into the form every inbound SMS is stored as;
- reports: the `dlr-url` call to /sms/kannel/delivery, read by `parse_report` into a
  DeliveryReport.
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from urllib.parse import quote

import requests

from messages.gsm import UCS2, segment_info
from service import phones
from service.states import MessageStatus
from workers.gateway.base import DeliveryReport, InboundRefused, SendResult
from workers.gateway.status import note_error

log = logging.getLogger("asuh.sms.kannel")

ACCEPTED = ("0:", "3:")  # "0: Accepted for delivery", "3: Queued for later delivery"
DLR_MASK = 31  # every report: delivered, failed, buffered, accepted and rejected by the SMSC
MAX_ID_DIGITS = 12
MAX_SENDER = 40
# Kannel's delivery-report bit mask -> (what the row becomes, the reason when it failed)
REPORTS = {
    1: (MessageStatus.DELIVERED, None),
    2: (MessageStatus.FAILED, "not delivered to the phone"),
    4: (MessageStatus.SENT, None),  # buffered: still in flight
    8: (MessageStatus.SENT, None),  # accepted by the SMS centre
    16: (MessageStatus.FAILED, "rejected by the SMS centre"),
    34: (MessageStatus.FAILED, "expired"),
}


class KannelGateway:
    """One sendsms request per recipient, a pool of them in flight at once."""

    name = "kannel"

    def __init__(self, url, username, password, sender, *, smsc="", report_url="", **tuning):
        self.url, self.sender, self.smsc = url, sender, smsc
        self.credentials = {"username": username, "password": password}
        self.report_url = report_url
        self.concurrency = max(1, int(tuning.get("concurrency", 8)))
        timeout = float(tuning.get("timeout", 10.0))
        self.timeout = (min(3.0, timeout), timeout)  # (connect, read)

    @classmethod
    def from_config(cls, config):
        """Build from the app's KANNEL_* settings; reports come back to PUBLIC_BASE_URL."""
        token = quote(config["WEBHOOK_TOKEN"], safe="")
        return cls(
            config["KANNEL_SENDSMS_URL"],
            config["KANNEL_USERNAME"],
            config["KANNEL_PASSWORD"],
            config["KANNEL_SENDER"],
            smsc=config.get("KANNEL_SMSC", ""),
            report_url=f"{config['PUBLIC_BASE_URL']}/sms/kannel/delivery?token={token}",
            concurrency=config.get("KANNEL_CONCURRENCY", 8),
            timeout=config.get("KANNEL_TIMEOUT", 10.0),
        )

    def send(self, batch):
        """A result for every phone; the first answer decides whether the route is usable."""
        phones = list(dict.fromkeys(batch.phones))
        if not phones:
            return []
        one = partial(self._send_one, self._message_params(batch.body), batch.refs)
        first = one(phones[0])
        if _route_down(first):  # Kannel is away or refuses our login: the rest would too
            results = [first] + [replace(first, phone=phone) for phone in phones[1:]]
        else:
            results = [first, *_pool(self.concurrency).map(one, phones[1:])]
        _report_problems(results)
        return results

    def _message_params(self, body):
        """What every request of one batch shares: login, sender, text and its coding."""
        info = segment_info(body)
        params = {**self.credentials, "from": self.sender, "text": body, "charset": "UTF-8"}
        if info.encoding == UCS2:
            params["coding"] = 2  # Kannel re-encodes the UTF-8 text as UCS-2
        if self.smsc:
            params["smsc"] = self.smsc
        return params, info.segments

    def _send_one(self, message, refs, phone):
        params, parts = message
        ref = refs.get(phone)
        params = {**params, "to": phone, **self._report_params(ref)}
        try:
            response = _session().get(self.url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            reason = f"kannel unreachable: {type(error).__name__}"
            return SendResult(phone, ok=False, status="unreachable", retryable=True, reason=reason)
        return _answer(phone, ref, response, parts)

    def _report_params(self, ref):
        """Ask for every report about this message, at a URL naming its outbox row."""
        if ref is None or not self.report_url:
            return {}
        url = f"{self.report_url}&id={ref}&status=%d&answer=%A"
        return {"dlr-mask": DLR_MASK, "dlr-url": url}


def _answer(phone, ref, response, parts):
    """Kannel's answer to one sendsms request as a SendResult."""
    words = " ".join(response.text.split())[:100]
    code = response.status_code
    if 200 <= code < 300 and words.startswith(ACCEPTED):
        provider_id = f"kannel:{ref}" if ref is not None else None
        return SendResult(phone=phone, ok=True, provider_id=provider_id, status=words, parts=parts)
    if 400 <= code < 500:
        reason = f"kannel refused ({code}): {words}"
        return SendResult(
            phone=phone,
            ok=False,
            status=f"HTTP {code}",
            reason=reason,
            phone_fault=code != 403,  # a refused login is ours, not the person's number
        )
    reason = f"kannel answered {code}: {words}"
    return SendResult(phone=phone, ok=False, status=f"HTTP {code}", retryable=True, reason=reason)


def _route_down(result):
    """True when the answer is about Kannel itself (unreachable, erroring, wrong login)."""
    return result.retryable or result.status == "HTTP 403"


def _report_problems(results):
    """One log line and one dashboard note per batch, not one per recipient."""
    failed = [r for r in results if not r.ok]
    if not failed:
        return
    sample = failed[0].reason or failed[0].status
    if failed[0].status == "HTTP 403":
        log.error(
            "Kannel refused our login for %d messages (%s): check KANNEL_USERNAME and "
            "KANNEL_PASSWORD against the sendsms-user group",
            len(failed),
            sample,
        )
    elif failed[0].retryable:
        log.warning("Kannel could not take %d messages, retrying later: %s", len(failed), sample)
    else:
        log.warning("Kannel refused %d of %d messages: %s", len(failed), len(results), sample)
    note_error("kannel", sample)


_local = threading.local()
_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}


def _session():
    """This thread's keep-alive session (rebuilt in a forked child, which must not share it)."""
    if getattr(_local, "pid", None) != os.getpid():
        _local.session, _local.pid = requests.Session(), os.getpid()
    return _local.session


def _pool(size):
    """One thread pool per process and size, kept for the life of the worker."""
    key = (os.getpid(), size)
    if key not in _pools:
        _pools[key] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="kannel")
    return _pools[key]


def inbound_fields(call):
    """Kannel's sms-service call as the form every inbound SMS is stored as.

    get-url carries the text in `text` (Kannel's %a); post-url sends it as the request body in
    the charset its Content-Type names (UTF-16BE for a UCS-2 message). A call whose `from`
    is no phone number is refused: nobody could be answered.
    """
    form = {key: _clean(value) for key, value in call.args.items() if key != "token"}
    if call.method == "POST":
        form["text"] = _clean(_decode(call.body, call.charset))
    form.setdefault("text", "")
    form["date"] = _when(form.get("ts", ""))
    if phones.try_normalise(form.get("from", "")[:MAX_SENDER]) is None:
        raise InboundRefused("from: not a phone number")
    return form


def _decode(body, charset):
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # "binary" or a name Python does not know
        return body.decode("utf-8", errors="replace")


def _clean(value):
    """Text a database will take: no NUL characters (PostgreSQL refuses them)."""
    return str(value).replace("\x00", "\ufffd")


def _when(ts):
    """Kannel's %T (seconds since 1970) as a readable UTC time; anything else as it came."""
    if ts.isdigit() and len(ts) <= 11:
        return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M:%S")
    return ts


def parse_report(call):
    """A dlr-url call as a DeliveryReport, or None when it names no outbox row."""
    values = call.values
    outbox_id, code = _number(values.get("id")), _number(values.get("status"))
    if outbox_id is None:
        return None
    answer = " ".join((values.get("answer") or "").split())
    status, default_reason = REPORTS.get(code, (None, None))
    if status is None:
        log.info("Kannel report %r for outbox %s ignored (answer %r)", code, outbox_id, answer)
    reason = (answer or default_reason) if status == MessageStatus.FAILED else None
    return DeliveryReport(status=status, outbox_id=outbox_id, reason=reason)


def _number(value):
    """A whole number written in plain digits, or None."""
    value = (value or "").strip()
    usable = value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS
    return int(value) if usable else None
