"""Prometheus metrics only for the configured addresses; error reporting only when SENTRY_DSN is set."""

import subprocess
import sys

from django.urls import reverse

from jobs.models import Job, Kind, State
from tests import factories


def test_metrics_answer_the_configured_addresses_only(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    owner = factories.province_viewer()
    Job.objects.create(owner=owner, kind=Kind.NATIONAL_XLSX, title="x", state=State.QUEUED)
    client.get(reverse("health_live"))
    response = client.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'portal_http_requests_total{method="GET",status="200",view="health_live"}' in text
    assert "portal_http_request_duration_seconds_bucket" in text
    assert 'portal_jobs{state="queued"} 1.0' in text and "portal_task_queue_age_seconds" in text
    # Any other address: not found, as if there were nothing here.
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404


def _settings_import(env_extra: dict) -> str:
    code = ("import django, sys; django.setup(); "
            "print('sentry_sdk' in sys.modules); import sentry_sdk; print(sentry_sdk.get_client().is_active())")
    env = {"DJANGO_SETTINGS_MODULE": "criteria_portal.settings.dev", "PATH": "/usr/bin:/bin", **env_extra}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=factories.__file__.rsplit("/tests/", 1)[0]).stdout.split()


def test_sentry_is_neither_imported_nor_started_without_a_dsn():
    assert _settings_import({}) == ["False", "False"]
    # With a DSN it is started (nothing is sent until an error happens; the address is a dead one).
    assert _settings_import({"SENTRY_DSN": "http://public@127.0.0.1:9/1"}) == ["True", "True"]
