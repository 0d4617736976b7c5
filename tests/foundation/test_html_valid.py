"""Nu HTML checker (vnu-jar, a pinned npm devDependency run by the machine's Java): every portal page state
of tests/page_states.py is valid HTML. The pages are fetched with the test client, saved, and checked in one
run of the checker (one Java start for all of them)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.page_states import form_errors, pages, people
from tests.reports.conftest import scenario  # noqa: F401  (the hand-computed province, reused)

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checker() -> list[str]:
    java = shutil.which("java")
    if not java or not VNU.exists():
        message = ("the Nu HTML checker needs Java (`java` on PATH) and `npm install` (vnu-jar); "
                   f"java: {java or 'missing'}, vnu.jar: {'found' if VNU.exists() else 'missing'}")
        if os.environ.get("CI") or os.environ.get("PORTAL_REQUIRE_NU") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def test_every_portal_page_state_is_valid_html(client, scenario, tmp_path):  # noqa: F811
    command = checker()
    p = people(scenario)
    saved = []
    for user, paths in pages(scenario, p):
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (getattr(user, "username", "-"), path, response.status_code)
            saved.append((f"{getattr(user, 'username', 'anonymous')} GET {path}", response.content))
    for name, user, path, data in form_errors(scenario, p):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.post(path, data, follow=True)
        assert response.status_code in (200, 400), (name, response.status_code)
        assert re.search(rb"errorlist|error-summary|is-invalid|alert-danger", response.content), name
        saved.append((f"{name} POST {path}", response.content))
    files = {}
    for i, (name, content) in enumerate(saved):
        path = tmp_path / f"{i:03d}-{slug(name)}.html"
        path.write_bytes(content)
        files[path.name] = name
    run = subprocess.run([*command, *map(str, sorted(tmp_path.glob("*.html")))], capture_output=True, text=True,
                         timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{files.get((m.get('url') or '').rpartition('/')[2], m.get('url'))}: line {m.get('lastLine')}: {m.get('message')} "
              f"[{(m.get('extract') or '').strip()[:100]}]" for m in messages if m.get("type") != "info"]
    print(f"Nu: {len(saved)} page states, {len(errors)} errors")
    assert not errors, f"{len(errors)} Nu errors on {len(saved)} page states:\n" + "\n".join(errors)
