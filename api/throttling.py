"""Rate limit per token (per user for a browser session), in the shared cache.

A cache that cannot be reached must not turn an API call into a 500: the limit is skipped, with a warning.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request (settings.API_RATE_LIMIT, e.g. "120/min"), not frozen at import.
        return getattr(settings, "API_RATE_LIMIT", "120/min")

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - whatever the cache backend raises when it is down
            logger.warning("API rate limit skipped: the cache cannot be reached", exc_info=True)
            return True
