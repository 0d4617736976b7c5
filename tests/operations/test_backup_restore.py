"""Backup and restore by the README's steps (pg_dump of the database, a tar of the media; pg_restore into an
empty database, the tar unpacked) give back every report figure, table row, audit entry and file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from assessments import services
from assessments.models import Assessment, Recognition, Status, Target
from tests import factories
from tests.assessments import files
from tests.reports.conftest import scenario  # noqa: F401 — the hand-computed province of the report tests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump must see the data: committed


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _env(database: str, media: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.test", "DATABASE_URL": _url(database),
           "PORTAL_TEST_MEDIA_ROOT": str(media)}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _snapshot(database: str, media: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.operations.backup_snapshot"], cwd=ROOT,
                         env=_env(database, media), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def _run(*command: str, env: dict) -> None:
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, (command, out.stderr[-3000:])


def _populate(scenario) -> None:  # noqa: F811
    """Beyond the report scenario: evidence files, a scanned decision, an audited edit of a target."""
    draft = Assessment.objects.filter(status=Status.DRAFT).select_related("unit").first()
    officer = factories.officer(draft.unit)
    for n, result in enumerate(draft.results.order_by("criterion__number")[:2]):
        services.evidence_add(result=result, actor=officer, upload=files.upload(f"biên bản {n}.pdf", files.PDF))
    recognition = Recognition.objects.order_by("pk").first()
    recognition.scan.save("qd.pdf", ContentFile(files.PDF + b"scan"), save=True)
    target = Target.objects.order_by("pk").first()
    target.number += 1
    target._change_reason = "Điều chỉnh theo kết luận hội nghị"
    target.save()


def test_a_restored_backup_has_every_figure_row_audit_entry_and_file(scenario, settings, tmp_path):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump/pg_restore: PostgreSQL only (CI runs on PostgreSQL)")
    _populate(scenario)
    database = connection.settings_dict["NAME"]
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = _snapshot(database, media)
    assert before["files"] and before["tables"]["assessments.HistoricalTarget"]
    assert any(v["bands"]["recognized"] for k, v in before["reports"].items() if k.startswith("progress/"))

    # Backup (README, "Backup and restore"): the database, then the media.
    dump, archive = tmp_path / "portal.dump", tmp_path / "media.tar.gz"
    env = _env(database, media)
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", _url(database), env=env)
    _run("tar", "-C", str(media), "-czf", str(archive), ".", env=env)

    # Restore into an empty database and an empty media folder.
    restored, restored_media = f"{database}_restored", tmp_path / "media"
    restored_media.mkdir()
    admin = _url("postgres")
    _run("psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{restored}"', env=env)
    _run("psql", admin, "-qc", f'CREATE DATABASE "{restored}"', env=env)
    try:
        _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={_url(restored)}",
             str(dump), env=env)
        _run("tar", "-C", str(restored_media), "-xzf", str(archive), env=env)
        after = _snapshot(restored, restored_media)
    finally:
        _run("psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{restored}"', env=env)
    assert after["files"] == before["files"]
    assert after["tables"] == before["tables"]
    assert after["reports"] == before["reports"]
