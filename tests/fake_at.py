"""A local stand-in for Africa's Talking's SMS API: records requests, answers in AT's JSON shape.

Run alone with `python -m tests.fake_at --port 8089`; control it over HTTP:
GET /_stats (counts), GET /_messages (every (phone, body) received), GET /_requests (the
recipients of each SMS request, in order), POST /_reset,
POST /_outage?count=N (the next N requests answer 500), POST /_reject?phone=P&code=403.
`--delay S` (or POST /_delay?seconds=S) holds each SMS answer S seconds after recording it, so
a test can kill a client while a request is in flight. `--reports URL` posts a delivery report
(AT's form: id, status=Success, phoneNumber) for each accepted SMS to URL, as AT's callback
does, whether or not the client is still there to read the answer.
"""

import argparse
import contextlib
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

STATUS_NAMES = {
    101: "Success",
    102: "Queued",
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}


class FakeState:
    """What the fake has seen and how it is told to misbehave."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.delay = 0.0  # seconds to hold each SMS answer (kept across resets)
        self.reports_url = None  # where to post delivery reports (kept across resets)
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = []  # each: dict of form fields, plus "_headers"
            self.messages = []  # each: (phone, body, messageId)
            self.outage = 0  # answer this many next requests with HTTP 500
            self.rejects = {}  # phone -> AT statusCode to answer for it
            self.cost = "IDR 250.0000"

    def answer(self, form, headers):
        """Record one SMS request and build AT's reply: (http status, JSON body)."""
        with self.lock:
            self.requests.append({**form, "_headers": headers})
            if self.outage > 0:
                self.outage -= 1
                return 500, {"error": "simulated outage"}
            recipients = [self._recipient(phone.strip(), form) for phone in form["to"].split(",")]
        if self.reports_url:
            accepted = [r for r in recipients if r["statusCode"] in (100, 101, 102)]
            threading.Thread(target=self._report, args=(accepted,), daemon=True).start()
        sent = sum(1 for r in recipients if r["statusCode"] in (100, 101, 102))
        summary = f"Sent to {sent}/{len(recipients)} Total Cost: {self.cost}"
        return 201, {"SMSMessageData": {"Message": summary, "Recipients": recipients}}

    def _report(self, recipients):
        """AT's delivery callback for each accepted recipient, one POST each."""
        for entry in recipients:
            fields = {"id": entry["messageId"], "status": "Success", "phoneNumber": entry["number"]}
            data = urlencode(fields).encode()
            with contextlib.suppress(OSError):  # receiver down: AT would retry; this fake does not
                urllib.request.urlopen(self.reports_url, data=data, timeout=10).close()

    def _recipient(self, phone, form):
        code = self.rejects.get(phone, 101)
        entry = {"statusCode": code, "number": phone, "status": STATUS_NAMES.get(code, "Failed")}
        if code in (100, 101, 102):
            message_id = f"ATXid_{next(self.ids):08d}"
            self.messages.append((phone, form.get("message", ""), message_id))
            parts = max(1, -(-len(form.get("message", "")) // 153))
            entry.update(cost=self.cost, messageId=message_id, messageParts=parts)
        else:
            entry.update(cost="0", messageId="None", messageParts=0)
        return entry


class Handler(BaseHTTPRequestHandler):
    state: FakeState  # set on the subclass made per server

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlparse(self.path).path
        if path == "/_stats":
            with self.state.lock:
                stats = {"requests": len(self.state.requests), "messages": len(self.state.messages)}
            return self._send(200, stats)
        if path == "/_messages":
            with self.state.lock:
                return self._send(200, [list(m) for m in self.state.messages])
        if path == "/_requests":
            with self.state.lock:
                return self._send(200, [r.get("to", "").split(",") for r in self.state.requests])
        return self._send(404, {"error": "not found"})

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/version1/messaging":
            answer = self.state.answer(form, dict(self.headers))
            time.sleep(self.state.delay)  # recorded already: the SMS "went" even if we die now
            return self._send(*answer)
        if url.path == "/_reset":
            self.state.reset()
        elif url.path == "/_outage":
            self.state.outage = int(query.get("count", 1))
        elif url.path == "/_delay":
            self.state.delay = float(query.get("seconds", 0))
        elif url.path == "/_reject":
            self.state.rejects[query["phone"]] = int(query.get("code", 403))
        else:
            return self._send(404, {"error": "not found"})
        return self._send(200, {"ok": True})


class FakeAfricasTalking:
    """A running fake on 127.0.0.1; `.url` is what AT_BASE_URL should be set to."""

    def __init__(self, port=0):
        self.state = FakeState()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def requests(self):
        return list(self.state.requests)

    @property
    def messages(self):
        return list(self.state.messages)

    def fail_next(self, count):
        """Answer the next `count` requests with HTTP 500."""
        self.state.outage = count

    def reject(self, phone, code=403):
        """Answer this recipient with an AT failure statusCode from now on."""
        self.state.rejects[phone] = code


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to hold each answer")
    parser.add_argument("--reports", default=None, help="URL to post delivery reports to")
    args = parser.parse_args()
    fake = FakeAfricasTalking(args.port)
    fake.state.delay = args.delay
    fake.state.reports_url = args.reports
    print(f"fake Africa's Talking on {fake.url}", flush=True)
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
