"""The probes of the machines around the portal — a load balancer's GET /health/ and /health/live/, Prometheus'
GET /metrics — answered before the host check and the HTTPS redirect.

They come to gunicorn on its private address, over plain HTTP, with no Host of the site: through the whole
middleware stack they would get 400 (an address is not in ALLOWED_HOSTS) or a redirect to https. None of
these answers depends on the host, and none holds anything secret (/metrics checks the caller's address
itself), so they are answered here; every other request still goes through the checks.
"""

from __future__ import annotations

from django.urls import resolve

PROBES = frozenset({"/health/", "/health/live/", "/metrics"})


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PROBES or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request.resolver_match = match = resolve(request.path_info)  # the metrics name the view by it
        return match.func(request, *match.args, **match.kwargs)
