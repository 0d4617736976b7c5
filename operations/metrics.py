"""Prometheus metrics at /metrics, for the addresses in METRICS_ALLOWED_IPS only (404 for anyone else).

django-prometheus would be the usual choice, but its last release (2.5.0) pins Django < 6.1, so the
portal uses its underlying library, prometheus-client, directly: requests by view and status, their
duration, and the background jobs by state with the age of the oldest queued task. Under gunicorn set
PROMETHEUS_MULTIPROC_DIR (an empty folder, see Deploying) so that every worker process is counted.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("portal_http_requests_total", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram("portal_http_request_duration_seconds", "Time to answer a request", ["view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    # The route's name, never the path: paths carry ids and would make one series per object.
    return (match.view_name or "unnamed") if match else "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - start)
        return response


class JobCollector:
    """Read at each scrape: jobs by state and how long the oldest queued task has waited."""

    def collect(self):
        from jobs.selectors import job_counts, queue_age_seconds

        states = GaugeMetricFamily("portal_jobs", "Background jobs by state", labels=["state"])
        for state, count in job_counts().items():
            states.add_metric([state], count)
        yield states
        yield GaugeMetricFamily("portal_task_queue_age_seconds", "Age of the oldest queued task (0: none)",
                                value=queue_age_seconds() or 0)


def registry() -> CollectorRegistry:
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
    else:
        collected = CollectorRegistry()
        collected.register(_Forward(REGISTRY))
    collected.register(JobCollector())
    return collected


class _Forward:
    """The process's default registry (request metrics, process and Python metrics) inside a fresh one."""

    def __init__(self, source):
        self.source = source

    def collect(self):
        yield from self.source.collect()


def metrics_view(request):
    if request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
