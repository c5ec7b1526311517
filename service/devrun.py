"""`make run`: migrate, seed when empty, make sure Redis answers, then start the Procfile."""

import atexit
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import redis

from service import config

BIN = Path(sys.executable).parent
PRIVATE_REDIS_PORT = 6390


def redis_answers(url):
    """True when something at the URL answers PING."""
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def free_port(port):
    """The given port when free, else any free one."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) != 0:
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_redis(env):
    """Use REDIS_URL when it answers; else start a private redis-server for this run."""
    url = env.get("REDIS_URL") or config.DEFAULT_REDIS_URL
    if redis_answers(url):
        return url
    server = shutil.which("redis-server")
    if not server:
        sys.exit(
            f"No Redis answers at {url} and redis-server is not installed: "
            "install it (apt-get install redis-server) or set REDIS_URL."
        )
    port = free_port(PRIVATE_REDIS_PORT)
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        if redis_answers(url):
            print(f"started a private Redis at {url}")
            return url
        process.wait(timeout=0.1) if process.poll() is not None else None
    sys.exit("the private redis-server did not start")


def asuh(env, *args):
    """Run an `asuh` subcommand, stopping on failure."""
    subprocess.run([str(BIN / "asuh"), *args], env=env, check=True)


def banner(env):
    """What to open, and how to log in."""
    from service.cli.seed import DEMO_LOGIN

    port = env.get("PORT", str(config.DEFAULT_PORT))
    base = f"http://127.0.0.1:{port}"
    return "\n".join(
        [
            "",
            "=" * 64,
            "Asuh is starting.",
            f"  Phone simulator : {base}/simulator",
            f"  Dashboard       : {base}/admin",
            f"  Demo login      : {DEMO_LOGIN[0]} / {DEMO_LOGIN[1]}",
            f"  USSD code       : {env.get('USSD_SERVICE_CODE', config.DEFAULT_USSD_SERVICE_CODE)}",
            "  Facilitator demo phone: +6281100000001 (Kanigoro); try SMS 'BANTUAN'",
            "  SMS gateway     : " + env.get("SMS_GATEWAY", config.DEFAULT_SMS_GATEWAY),
            "Stop with Ctrl-C.",
            "=" * 64,
            "",
        ]
    )


def development_env(base):
    """The processes' environment: development (the Procfile defaults to production), so the
    web server listens on 127.0.0.1 only and the console gateway and demo secrets are allowed."""
    env = dict(base)
    env["ASUH_ENV"] = config.DEVELOPMENT
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("RQ_LOG_LEVEL", "warning")  # no line per routine job: the SMS lines show
    return env


def main():
    env = development_env(os.environ)
    env["REDIS_URL"] = ensure_redis(env)
    env.setdefault("PORT", str(config.DEFAULT_PORT))
    config.INSTANCE_DIR.mkdir(exist_ok=True)
    asuh(env, "db", "upgrade")
    asuh(env, "seed-demo")
    print(banner(env), flush=True)
    procfile = str(config.ROOT / "Procfile")
    code = subprocess.call(
        [str(BIN / "honcho"), "start", "-f", procfile, "-d", str(config.ROOT)], env=env
    )
    sys.exit(code)


if __name__ == "__main__":
    main()
