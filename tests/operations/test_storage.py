"""Files live on Django's storage backend: with the default storage swapped for another one (Django's
in-memory storage, as an S3 bucket would be), evidence, scanned decisions and job results are stored and
downloaded without any local path."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, InMemoryStorage, default_storage, storages
from django.urls import reverse

from assessments import services
from assessments.models import Evidence, Recognition
from tests import factories
from tests.assessments import files
from tests.conftest import record
from tests.exports import download_via_job

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "assessments", "communes", "criteria_portal", "data_exchange", "inventory", "jobs",
        "notifications", "operations", "reports")


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    assert isinstance(storages["default"], InMemoryStorage)
    return default_storage


def test_evidence_is_stored_and_downloaded_through_the_storage(client, memory_storage, officer_user, reviewer_user,
                                                               criteria_set, unit, django_capture_on_commit_callbacks):
    draft = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
    result = draft.results.first()
    client.force_login(officer_user)
    response = client.post(reverse("assessments:evidence_upload", args=[draft.pk, result.criterion_id]),
                           {"file": files.upload("biên bản.pdf", files.PDF)})
    assert response.status_code == 201
    evidence = Evidence.objects.get()
    assert memory_storage.exists(evidence.file.name)
    client.force_login(reviewer_user)
    download = client.get(reverse("assessments:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == files.PDF
    client.force_login(officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.exists() and not memory_storage.exists(evidence.file.name)


def test_a_scanned_decision_is_stored_and_downloaded_through_the_storage(client, memory_storage, reviewer_user,
                                                                         criteria_set, unit):
    record(unit, 2025, 16)
    client.force_login(reviewer_user)
    response = client.post(reverse("assessments:recognition_create"), {
        "unit": unit.pk, "level": 1, "decision_number": "12/QĐ-UBND", "decision_date": "2025-06-01",
        "issued_by": "UBND huyện", "scan": files.upload("qđ.pdf", files.PDF)})
    assert response.status_code == 302
    scan = Recognition.objects.get().scan
    assert memory_storage.exists(scan.name)
    download = client.get(reverse("assessments:recognition_scan", args=[Recognition.objects.get().pk]))
    assert b"".join(download.streaming_content) == files.PDF


def test_a_job_result_is_stored_and_downloaded_through_the_storage(client, memory_storage, reviewer_user, unit):
    factories.RegistrationFactory(unit=unit, year=2023)
    client.force_login(reviewer_user)
    response = download_via_job(client, reverse("data_exchange:export"),
                                {"export-kind": "registrations", "export-format": "xlsx", "export-year": ""})
    assert response.content.startswith(b"PK")
    _dirs, stored = memory_storage.listdir("jobs")
    assert _dirs  # jobs/<id>/<attempt>/<file>, in memory only


def test_the_test_settings_really_use_the_disk_otherwise(db):
    assert isinstance(storages["default"], FileSystemStorage)


def test_no_code_reads_a_stored_file_by_its_local_path():
    """FieldFile.path, storage.path() and open() on a stored name only work on a local disk."""
    pattern = re.compile(r"\.(file|scan|result)\.path\b|storage\.path\(|default_storage\.path|open\([^)]*\.name\b")
    offenders = [f"{path.relative_to(ROOT)}:{n}" for app in APPS for path in (ROOT / app).rglob("*.py")
                 if "migrations" not in path.parts
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line)]
    assert offenders == []


def test_s3_is_a_setting_away(monkeypatch):
    """STORAGE_BACKEND=s3 gives django-storages' S3 backend with the bucket, endpoint and keys given."""
    import importlib

    import criteria_portal.settings.base as base

    for name, value in {"STORAGE_BACKEND": "s3", "S3_BUCKET": "portal-media", "S3_ENDPOINT_URL": "https://s3.example.vn",
                        "S3_ACCESS_KEY_ID": "AK", "S3_SECRET_ACCESS_KEY": "SK", "S3_REGION": "hn-1"}.items():
        monkeypatch.setenv(name, value)
    try:
        reloaded = importlib.reload(base)
        options = reloaded.STORAGES["default"]["OPTIONS"]
        assert reloaded.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert (options["bucket_name"], options["endpoint_url"], options["access_key"], options["region_name"]) == (
            "portal-media", "https://s3.example.vn", "AK", "hn-1")
        from storages.backends.s3 import S3Storage

        storage = S3Storage(**options)  # built without network access
        assert storage.bucket_name == "portal-media" and storage.default_acl == "private"
    finally:
        monkeypatch.undo()
        importlib.reload(base)
