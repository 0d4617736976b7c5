"""deploy/portal.env.example is read two ways: by systemd's EnvironmentFile= (the units) and by sh, which the
README's Deploying and Backup commands use (`set -a; . /etc/portal/portal.env`). Both must read the same values."""

import shutil
import subprocess
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "portal.env.example"


def _systemd_reading(text: str) -> dict[str, str]:
    """KEY=VALUE lines, # comments, a value in double quotes stripped of them (systemd.exec(5))."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        values[key] = value
    return values


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_the_example_environment_reads_the_same_in_sh_and_in_systemd():
    expected = _systemd_reading(EXAMPLE.read_text(encoding="utf-8"))
    script = f'set -a; . "{EXAMPLE}"; set +a; ' + "; ".join(f'printf "%s\\0" "${key}"' for key in expected)
    result = subprocess.run(["sh", "-c", script], capture_output=True, env={"PATH": "/usr/bin:/bin"}, check=False)
    assert result.returncode == 0, result.stderr.decode()
    read = dict(zip(expected, result.stdout.decode("utf-8").split("\0")[:-1], strict=True))
    assert read == expected
    assert read["DEFAULT_FROM_EMAIL"] == "Cổng tiêu chí <no-reply@portal.example.vn>"
