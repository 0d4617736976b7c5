"""Production: refuses to start without its secrets; HTTPS everywhere."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# As strict as Django's own check (security.W009), which only warns: "x" * 64 is no secret.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in production: at least 50 characters, at least 5 different ones, "
        "not Django's generated 'django-insecure-' key."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

# Production never waives two-factor sign-in, even with the demo banner on.
PORTAL_2FA_DEMO_EXEMPT = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Which request header says the original request was HTTPS. Only a TLS-terminating proxy in front of
# the app may be believed, and only when it sets the header itself: by default none is (any client
# can send X-Forwarded-Proto). DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO[,https].
_proxy_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = None
if _proxy_header:
    _name, _, _value = (part.strip() for part in _proxy_header.partition(","))
    if not _name.startswith("HTTP_") or not _name.replace("_", "").isalnum() or not _name.isupper():
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must name a header as Django sees it, e.g. HTTP_X_FORWARDED_PROTO "
            "(optionally followed by ,VALUE; the value defaults to https)."
        )
    SECURE_PROXY_SSL_HEADER = (_name, _value or "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "criteria_portal.storage.StaticFilesStorage"},
}
