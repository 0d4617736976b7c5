import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "criteria_portal.settings.prod", **env_extra})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env, message", [
    ({"ALLOWED_HOSTS": "portal.example.vn"}, "SECRET_KEY must be set"),
    ({"SECRET_KEY": "x" * 64}, "ALLOWED_HOSTS must be set"),
    ({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "a.vn", "DEBUG": "1"}, "DEBUG must be off"),
])
def test_prod_refuses_to_start_without_its_secrets(env, message):
    result = check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_prod_deploy_check_has_no_warnings():
    result = check({"SECRET_KEY": "k" * 30 + "Zq8-" * 10, "ALLOWED_HOSTS": "portal.example.vn"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
