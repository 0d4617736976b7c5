"""Test runs: PostgreSQL when DATABASE_URL is set, SQLite otherwise; fast hashing."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # A worker started by a test (tests/jobs) is told the test run's folder through the environment.
        "OPTIONS": {"location": os.environ.get("PORTAL_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="portal-test-media-")},
    },
}
# Tasks run inside the request that enqueues them, so a test sees their effect at once; the tests of the
# queue itself switch to the database backend and run the worker (tests/jobs).
TASKS = {"default": {"BACKEND": os.environ.get("PORTAL_TEST_TASKS_BACKEND",
                                               "django.tasks.backends.immediate.ImmediateBackend")}}
# A test runs inside a transaction that a second connection cannot see; a worker process started by a test
# (tests/jobs, scripts/bench_jobs.py) runs committed jobs, as in production.
JOBS_PROGRESS_APART = "PORTAL_TEST_TASKS_BACKEND" in os.environ
AXES_FAILURE_LIMIT = 3
# django-otp's own back-off (1, 2, 4 … s after a wrong code) would make a right code typed just after a wrong
# one fail at random in tests; one test turns it back on. django-axes' lockout stays on.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
PORTAL_2FA_DEMO_EXEMPT = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PORTAL_URL = "http://portal.test"
LOGGING = {**LOGGING, "handlers": {}, "root": {"level": "WARNING"}}  # base's filters, no console output
# Media are never public (MEDIA_URL is None elsewhere), but the live server used by the browser
# tests wraps the site in a media handler that cannot take None; a URL on another host serves nothing.
MEDIA_URL = "http://media.invalid/"
