"""Every Redis key template in one module, so nothing collides and nothing is guessed."""

PREFIX = "asuh"

USSD_SESSION = PREFIX + ":ussd:session:{session_id}"
USSD_HOP = PREFIX + ":ussd:hop:{session_id}:{digest}"  # a hop's reply, so a repeat writes nothing
LOGIN_FAILURES_USER = PREFIX + ":login:fail:user:{username}"
LOGIN_FAILURES_ADDR = PREFIX + ":login:fail:addr:{address}"
SMS_RATE_BUCKET = PREFIX + ":sms:bucket"
INBOUND_KEPT = PREFIX + ":inbound:kept"  # SMS that came while the database was down
SMS_GATEWAY_LAST_ERROR = PREFIX + ":sms:gateway:last-error"
BENCH_BASELINE = PREFIX + ":bench:{session_id}"


def key(template, **parts):
    """Fill a template; a named helper so call sites read as intent."""
    return template.format(**parts)
