import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def check(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "criteria_portal.settings.prod", **env_extra})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


GOOD_KEY = "k" * 30 + "Zq8-" * 10


@pytest.mark.parametrize("env, message", [
    ({"ALLOWED_HOSTS": "portal.example.vn"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "portal.example.vn"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "abcd" * 16, "ALLOWED_HOSTS": "portal.example.vn"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "django-insecure-" + GOOD_KEY, "ALLOWED_HOSTS": "portal.example.vn"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must be set"),
    ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "a.vn", "DEBUG": "1"}, "DEBUG must be off"),
])
def test_prod_refuses_to_start_without_its_secrets(env, message):
    result = check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_prod_deploy_check_has_no_warnings():
    result = check({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portal.example.vn"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def setting(name, env_extra, module="criteria_portal.settings.test"):
    """The value of a setting in a fresh process with `env_extra` in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": module, **env_extra})
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c",
                             f"from django.conf import settings; print(repr(settings.{name}))"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sessions_last_a_working_day_unless_configured(client, province_user, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = client.post(reverse("accounts:login"), {"username": province_user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    assert setting("SESSION_COOKIE_AGE", {"SESSION_COOKIE_AGE": "3600"}) == "3600"


PROD = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portal.example.vn"}


@pytest.mark.parametrize("value, expected", [
    (None, "None"),  # by default no client's X-Forwarded-Proto is believed
    ("HTTP_X_FORWARDED_PROTO", "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ("HTTP_X_FORWARDED_SSL,on", "('HTTP_X_FORWARDED_SSL', 'on')"),
])
def test_prod_trusts_a_proxy_header_only_when_told(value, expected):
    env = {**PROD, **({"DJANGO_SECURE_PROXY_SSL_HEADER": value} if value else {})}
    assert setting("SECURE_PROXY_SSL_HEADER", env, module="criteria_portal.settings.prod") == expected
    assert setting("SESSION_COOKIE_SECURE", env, module="criteria_portal.settings.prod") == "True"


def test_prod_refuses_a_proxy_header_that_django_would_never_see():
    result = check({**PROD, "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert result.returncode != 0 and "DJANGO_SECURE_PROXY_SSL_HEADER" in result.stderr


def test_prod_deploy_check_is_clean_behind_a_proxy():
    result = check({**PROD, "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"})
    assert result.returncode == 0, result.stderr
