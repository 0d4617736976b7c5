"""GET /health/: 200 when the database, cache, task queue and media disk are fine, 503 otherwise; no secrets."""

import datetime
import json

import pytest
from django.db import connection, connections
from django.utils import timezone

from jobs.models import Job, Kind, State
from operations.health import MediaDisk, TaskQueue
from tests import factories

REDIS_DOWN = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1


def get(client, path="/health/"):
    response = client.get(path)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] and "X-Request-ID" in response
    return response.status_code, json.loads(response.content)


def test_healthy_is_200_without_sign_in(client, db):
    status, body = get(client)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "task_queue": "ok", "media_disk": "ok"}
    assert body["task_queue_age_seconds"] == 0 and body["media_free_mb"] > 0


def test_the_cache_down_is_503(client, db, settings):
    settings.CACHES = REDIS_DOWN
    status, body = get(client)
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["cache"] == "unavailable" and body["checks"]["database"] == "ok"
    # The live probe (for a load balancer) does not take the cache into account.
    assert get(client, "/health/live/") == (200, {"checks": {"database": "ok"}, "status": "ok"})


def test_the_database_down_is_503_and_says_nothing_of_it(client, db, monkeypatch):
    dead = "/nonexistent/folder/portal.sqlite3" if connection.vendor == "sqlite" else "no_such_database_for_health"
    # The checks open their own connection (in the library's threads): point it at nothing.
    monkeypatch.setitem(connections.settings["default"], "NAME", dead)
    status, body = get(client)
    assert status == 503 and body["checks"]["database"] == "unavailable"
    assert get(client, "/health/live/")[0] == 503
    text = json.dumps(body)
    assert dead not in text and "sqlite" not in text.lower() and "postgres" not in text.lower()


def test_a_queue_nobody_works_on_is_503(db, settings):
    settings.HEALTH_QUEUE_MAX_AGE = 600
    owner = factories.province_viewer()
    Job.objects.create(owner=owner, kind=Kind.NATIONAL_XLSX, title="x", state=State.QUEUED)
    check = TaskQueue(max_age=600)
    check.run()  # a fresh job: fine
    assert 0 <= check.age < 5
    Job.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=15))
    with pytest.raises(Exception, match="oldest queued task waiting 9"):
        check.run()


@pytest.mark.django_db(transaction=True)
def test_the_queue_age_is_read_from_the_database_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from jobs.tasks import job_run

    job_run.enqueue(job_id=0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=20))
    status, body = get(client)
    assert status == 503 and body["checks"]["task_queue"] == "unavailable"
    assert 1190 < body["task_queue_age_seconds"] < 1300


def test_a_full_media_disk_is_reported(settings):
    check = MediaDisk(min_free_mb=10**9)  # a petabyte
    with pytest.raises(Exception, match="MB free for media"):
        check.run()
    assert check.free_mb > 0


PRODUCTION_LIKE = {"ALLOWED_HOSTS": ["portal.example.vn"], "SECURE_SSL_REDIRECT": True,
                   "METRICS_ALLOWED_IPS": ["127.0.0.1"]}


@pytest.mark.parametrize("path", ["/health/", "/health/live/"])
def test_a_probe_by_address_over_plain_http_reaches_the_health_check(client, db, settings, path):
    """A load balancer or monitoring probes gunicorn on its private address, over HTTP, with no Host of the
    site: the answer is the health JSON, not a 400 (unknown host) or a redirect to https."""
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    response = client.get(path, HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and json.loads(response.content)["status"] == "ok"
    assert "X-Request-ID" in response


def test_metrics_by_address_answer_the_allowed_scraper_only(client, db, settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    response = client.get("/metrics", HTTP_HOST="10.0.0.5:8000", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200 and b"portal_" in response.content
    assert client.get("/metrics", HTTP_HOST="10.0.0.5:8000", REMOTE_ADDR="10.0.0.9").status_code == 404


def test_other_pages_keep_the_host_check_and_the_https_redirect(client, db, settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get("/accounts/login/", HTTP_HOST="portal.example.vn").status_code == 301
    assert client.post("/health/", HTTP_HOST="10.0.0.5:8000").status_code == 400  # probes are GETs
