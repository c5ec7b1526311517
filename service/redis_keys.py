"""Every Redis key template in one module, so nothing collides and nothing is guessed."""

PREFIX = "asuh"

USSD_SESSION = PREFIX + ":ussd:session:{session_id}"
LOGIN_FAILURES_USER = PREFIX + ":login:fail:user:{username}"
LOGIN_FAILURES_ADDR = PREFIX + ":login:fail:addr:{address}"
SMS_RATE_BUCKET = PREFIX + ":sms:bucket"
SMS_GATEWAY_LAST_ERROR = PREFIX + ":sms:gateway:last-error"
BENCH_BASELINE = PREFIX + ":bench:{session_id}"


def key(template, **parts):
    """Fill a template; a named helper so call sites read as intent."""
    return template.format(**parts)
