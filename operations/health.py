"""GET /health/ for a load balancer and monitoring: no sign-in, no secrets, JSON.

Checks (django-health-check's Database and Cache, and two of ours): the database answers; the cache
stores and returns a value; the oldest queued task has waited less than HEALTH_QUEUE_MAX_AGE (else no
worker is running); the disk holding the media has HEALTH_MEDIA_MIN_FREE_MB free (local storage only).
200 when all pass, 503 otherwise — the cache included, as the issue asks: pages keep working without
the cache (they compute instead), but slower, and the operator must know. /health/live/ checks the
database only, for a load balancer that should keep serving while the cache is down (README).

The body names each check with "ok" or "unavailable" and two numbers; the reasons (which may name a
host) go to the log, never to the anonymous caller.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from health_check import Cache, Database, HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The oldest task waiting in the queue is younger than `max_age` seconds."""

    max_age: int = 600
    age: float | None = dataclasses.field(default=None, repr=False)

    def run(self):
        from django.db import connection

        from jobs.selectors import queue_age_seconds

        try:
            self.age = queue_age_seconds()
        finally:
            # Checks run in the library's worker threads: leave no idle connection behind in them.
            if not connection.in_atomic_block:
                connection.close()
        if self.age is not None and self.age > self.max_age:
            raise ServiceUnavailable(f"oldest queued task waiting {self.age:.0f} s")


@dataclasses.dataclass
class MediaDisk(HealthCheck):
    """The disk of the default storage has `min_free_mb` free. Object stores (S3) have no disk to check."""

    min_free_mb: int = 500
    free_mb: int | None = dataclasses.field(default=None, repr=False)

    def run(self):
        storage = storages["default"]
        if not isinstance(storage, FileSystemStorage):
            return
        self.free_mb = shutil.disk_usage(_existing_parent(storage.location)).free // 2**20
        if self.free_mb < self.min_free_mb:
            raise ServiceUnavailable(f"{self.free_mb} MB free for media")


def _existing_parent(path) -> str:
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return str(path)


def _checks(*, live: bool) -> dict[str, HealthCheck]:
    if live:
        return {"database": Database()}
    return {
        "database": Database(),
        "cache": Cache(),
        "task_queue": TaskQueue(max_age=settings.HEALTH_QUEUE_MAX_AGE),
        "media_disk": MediaDisk(min_free_mb=settings.HEALTH_MEDIA_MIN_FREE_MB),
    }


async def _run(checks: dict[str, HealthCheck]) -> list:
    return await asyncio.gather(*(check.get_result() for check in checks.values()))


def health_report(*, live: bool = False) -> tuple[bool, dict]:
    checks = _checks(live=live)
    results = asyncio.run(_run(checks))
    body = {"checks": {name: ("unavailable" if result.error else "ok") for name, result in zip(checks, results,
                                                                                             strict=True)}}
    healthy = not any(result.error for result in results)
    body["status"] = "ok" if healthy else "unavailable"
    if "task_queue" in checks:
        age = checks["task_queue"].age
        body["task_queue_age_seconds"] = round(age) if age is not None else 0
    if "media_disk" in checks:
        body["media_free_mb"] = checks["media_disk"].free_mb
    return healthy, body


def _response(live: bool) -> JsonResponse:
    healthy, body = health_report(live=live)
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


@csrf_exempt
@require_GET
def health(request):
    return _response(live=False)


@csrf_exempt
@require_GET
def health_live(request):
    return _response(live=True)
