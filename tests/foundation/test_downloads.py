"""Every file the portal hands out goes through criteria_portal/downloads.py: an attachment whose Vietnamese
name survives (RFC 5987 filename* beside an ASCII fallback), never cached (private, no-store), never sniffed."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments import services
from assessments.models import Recognition
from criteria_portal.downloads import ascii_filename, content_disposition, download
from jobs.models import Job, Kind, State
from tests import factories
from tests.assessments import files
from tests.conftest import record

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = "Biên bản họp Đắk Lắk “số 1”.pdf"


def filename_of(header: str) -> str:
    """What a browser names the file: filename* when present (RFC 6266), else filename."""
    star = re.search(r"filename\*=utf-8''([^;]+)", header, re.I)
    if star:
        return unquote(star.group(1))
    return re.search(r'filename="([^"]*)"', header).group(1)


def check_headers(response, filename: str) -> None:
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename=\"")
    assert filename_of(header) == filename
    assert header.isascii()  # a header is Latin-1 at most; the name travels percent-encoded
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("content", [b"%PDF-1.4", "văn bản", iter([b"a", b"b"])], ids=["bytes", "text", "pieces"])
def test_the_helper_keeps_a_vietnamese_name_with_an_ascii_fallback(content):
    response = download(content, filename=VIETNAMESE, content_type="application/pdf")
    check_headers(response, VIETNAMESE)
    assert 'filename="Bien ban hop Dak Lak _so 1_.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_an_ascii_name_is_sent_as_it_is():
    assert content_disposition("don-vi-2025.csv") == 'attachment; filename="don-vi-2025.csv"'
    assert ascii_filename('a"b\\c\r\n.csv') == "a_b_c__.csv"
    assert ascii_filename("Đồng Tháp.xlsx") == "Dong Thap.xlsx"


def test_no_view_builds_a_download_itself():
    """The headers are written in one place: a second copy of them would drift."""
    pattern = re.compile(r"Content-Disposition|FileResponse\(|as_attachment")
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for app in ("accounts", "api", "assessments", "communes", "data_exchange", "inventory", "jobs",
                             "notifications", "operations", "reports", "criteria_portal")
                 for path in (ROOT / app).rglob("*.py")
                 if path.name != "downloads.py" and "migrations" not in path.parts
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line)]
    assert offenders == []


# Every download URL of the portal, as its users reach it.

def test_evidence(client, officer_user, reviewer_user, criteria_set, unit):
    draft = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
    evidence = services.evidence_add(result=draft.results.first(), actor=officer_user,
                                     upload=files.upload("biên bản họp.pdf", files.PDF))
    client.force_login(reviewer_user)
    response = client.get(reverse("assessments:evidence_download", args=[evidence.pk]))
    check_headers(response, "biên bản họp.pdf")
    assert b"".join(response.streaming_content) == files.PDF


def test_recognition_scan(client, reviewer_user, criteria_set, unit):
    record(unit, 2025, 16)
    client.force_login(reviewer_user)
    client.post(reverse("assessments:recognition_create"), {
        "unit": unit.pk, "level": 1, "decision_number": "12/QĐ-UBND", "decision_date": "2025-06-01",
        "issued_by": "UBND huyện", "scan": files.upload("quyết định công nhận.pdf", files.PDF)})
    response = client.get(reverse("assessments:recognition_scan", args=[Recognition.objects.get().pk]))
    check_headers(response, "quyết định công nhận.pdf")
    assert response["Content-Type"] == "application/pdf"


def test_job_result(client, reviewer_user):
    job = Job.objects.create(owner=reviewer_user, kind=Kind.DATA_EXPORT, title="Xuất", state=State.DONE,
                             result_name="Báo cáo tiến độ – Phú Thọ 2025.xlsx", result_type="application/vnd.ms-excel")
    job.result.save("bao-cao.xlsx", ContentFile(b"PK\x03\x04"))
    client.force_login(reviewer_user)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    check_headers(response, "Báo cáo tiến độ – Phú Thọ 2025.xlsx")
    assert response["Content-Type"] == "application/vnd.ms-excel"


def test_import_template(client, reviewer_user, unit):
    client.force_login(reviewer_user)
    response = client.get(reverse("data_exchange:template") + "?template-kind=assessments&template-year=2024")
    check_headers(response, "bieu-mau-assessments-2024.xlsx")


def test_completeness_csv(client, criteria_set, unit):
    client.force_login(factories.province_viewer())
    response = client.get(reverse("reports:completeness_csv") + "?year=2026&as_of=2026-12-16")
    check_headers(response, f"tinh-hinh-nop-{criteria_set.programme.code}-2026-2026-12-16.csv")


def test_units_csv(client, criteria_set, unit):
    client.force_login(factories.province_viewer())
    response = client.get(reverse("reports:units_csv") + "?year=2025")
    check_headers(response, f"don-vi-{criteria_set.programme.code}-2025.csv")
