"""The API fuzzed against its own OpenAPI schema (schemathesis), on a running server, as every role.

For each role a read-write token is made and schemathesis runs every operation of /api/schema/ with valid
and invalid data: 0 server errors, 0 responses that break the schema (body, status code, content type,
headers), 0 invalid inputs accepted, and authentication really required. Bounded in time (SCHEMATHESIS_*
to go further locally); `-m "not fuzz"` skips it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import override_settings

from assessments.models import Assessment, CriterionResult, Programme, Recognition
from communes.models import Unit
from tests import factories
from tests.api.conftest import ROLES, build_world

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection", "missing_required_header", "unsupported_method",
    "allow_header_conformance", "ignored_auth",
])
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8")
SEED = os.environ.get("SCHEMATHESIS_SEED", "20")


# The coverage phase (boundary and invalid values of every parameter and body field, deterministic; most of
# the run's time) for the two roles whose writes go deepest, the officer and the reviewer; random valid and
# invalid requests (fuzzing) for every role.
PHASES = {"officer": "examples,coverage,fuzzing", "reviewer": "examples,coverage,fuzzing",
          "admin": "examples,fuzzing", "province": "examples,fuzzing", "national": "examples,fuzzing"}


def config_file(world, path: Path) -> Path:
    """Half of the generated ids, codes, versions and years are the world's own, so that requests get past
    the 404 to the rules (a submit, a return, a verify really happen); the other half stays random."""
    ids = sorted({*Assessment.objects.values_list("id", flat=True), *Unit.objects.values_list("id", flat=True),
                  *Recognition.objects.values_list("id", flat=True)})
    dictionaries = {
        "ids": ids,
        "codes": sorted(Programme.objects.values_list("code", flat=True)),
        "criteria": sorted(set(CriterionResult.objects.values_list("criterion_id", flat=True))),
        "versions": list(range(1, 8)),
        "years": [2023, 2024, 2025],
    }
    parameters = {"path.id": "ids", "path.code": "codes", "body.criterion": "criteria", "body.unit": "ids",
                  "body.version": "versions", "query.year": "years", "body.year": "years"}
    lines = []
    for name, values in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in parameters.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def schemathesis(base_url: str, token: str, report: Path, phases: str, config: Path) -> subprocess.CompletedProcess:
    """Run in a scratch folder: schemathesis keeps a cache folder where it runs."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(config), "run",
        f"{base_url}/api/schema/",
        "--url", base_url, "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS, "--mode", "all", "--phases", phases,
        "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "1", "--no-shrink",
        "--request-timeout", "30", "--report", "junit", "--report-junit-path", str(report),
    ]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, cwd=report.parent)


@override_settings(API_RATE_LIMIT="100000/min")
@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_nothing(live_server, role, tmp_path, monkeypatch):
    # The live server answers a kept-alive connection only after the client's delayed ACK (~40 ms a
    # request) unless Nagle's algorithm is off; and "localhost" may try IPv6 first.
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    world = build_world(unit=factories.UnitFactory(), other_unit=factories.UnitFactory(),
                        admin=factories.administrator())
    result = schemathesis(base_url, world.tokens[role], tmp_path / "junit.xml", PHASES[role],
                          config_file(world, tmp_path / "schemathesis.toml"))
    (Path(os.environ.get("SCHEMATHESIS_LOG_DIR", tmp_path)) / f"schemathesis-{role}.txt").write_text(result.stdout)
    summary = result.stdout[-6000:]
    print(summary)
    assert result.returncode == 0, summary + result.stderr[-2000:]
