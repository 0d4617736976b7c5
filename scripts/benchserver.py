"""The portal as production runs it, for the benchmarks: gunicorn with the prod settings on the benchmark's
PostgreSQL and Redis, and an HTTP client that speaks to it as a browser behind the TLS proxy would.

Prod settings mark cookies Secure and redirect plain HTTP to HTTPS; the benchmark talks plain HTTP on loopback,
so the server is told (as behind a proxy) that the request was HTTPS (`X-Forwarded-Proto: https`) and the
client sends its cookies and CSRF token itself.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
HOST = "bench.portal.invalid"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.prod",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        "LOG_LEVEL": "WARNING",
    }


class Server:
    """gunicorn (the README's 3 workers) serving the portal with the prod settings."""

    def __init__(self, environment: dict, *, workers: int = 3):
        self.port = free_port()
        self.environment = environment
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=environment, check=True)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "criteria_portal.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=environment)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/health/live/", headers={"Host": HOST, "X-Forwarded-Proto": "https"},
                             timeout=10)
                return
            except requests.RequestException:  # not listening yet, or its workers still starting
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def headers_for(session_key: str, csrf: str, port: int) -> dict:
    """What a signed-in browser sends to the portal behind its TLS proxy."""
    return {
        "Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/",
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}", "X-CSRFToken": csrf,
    }


class Browser:
    """One signed-in user's connection (keep-alive), timing each request in milliseconds."""

    def __init__(self, server: Server, session_key: str):
        self.server = server
        self.http = requests.Session()
        self.csrf = secrets.token_hex(16)
        self.http.headers.update(headers_for(session_key, self.csrf, server.port))

    def get(self, path: str) -> tuple[float, requests.Response]:
        started = time.perf_counter()
        response = self.http.get(self.server.url + path, allow_redirects=False, timeout=120)
        return 1000 * (time.perf_counter() - started), response

    def post(self, path: str, data: dict) -> tuple[float, requests.Response]:
        started = time.perf_counter()
        response = self.http.post(self.server.url + path, data=data, allow_redirects=False, timeout=120)
        return 1000 * (time.perf_counter() - started), response


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
