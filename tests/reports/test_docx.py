"""The yearly report for the meeting (.docx) read back with python-docx: the same numbers as the JSON."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from inventory.models import ModelCount, ModelType
from inventory.services import model_types_load
from reports.exports import band_label
from reports.progress import BAND_KEYS, progress_report
from tests import factories
from tests.exports import download_via_job

from .test_progress_report_command import run

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # a copy for a person to open (not committed)


def cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


def read(data: bytes):
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    head = "\n".join(c.text for c in doc.tables[0].rows[0].cells)
    return doc, text, head


def test_docx_has_the_administrative_layout_and_the_numbers_of_the_json(scenario, tmp_path):
    model_types_load()
    ModelCount.objects.create(unit=scenario["a16"], year=2025, model_type=ModelType.objects.get(code="zalo_mailbox"),
                              count=4, status="verified")
    path = tmp_path / "r.docx"
    run("--year", "2025", "--format", "docx", "--output", str(path))
    doc, text, head = read(path.read_bytes())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "issue12-report-2025.docx").write_bytes(path.read_bytes())
    report = progress_report(year=2025)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head and "Độc lập - Tự do - Hạnh phúc" in head
    assert "Số: …/BC-…" in head and "…, ngày … tháng … năm …" in head
    assert "BÁO CÁO" in text and "Số liệu chính thức, tính đến ngày 31/12/2025" in text
    targets, bands, districts, criteria, models = doc.tables[1:6]
    assert cells(targets)[1:] == [
        [t["text"], f"{t['deadline'][8:10]}/{t['deadline'][5:7]}/{t['deadline'][:4]}", str(t["target"]),
         str(t["actual"]), str(t["cumulative_target"]), str(t["cumulative_actual"]), t["state_label"]]
        for t in report["targets"]]
    assert cells(bands)[1:-1] == [[band_label(k), str(report["bands"][k])] for k in BAND_KEYS]
    assert cells(bands)[-1][1] == str(report["units_total"])
    assert cells(districts)[1:] == [[d["name"], str(d["units"])] + [str(d["bands"][k]) for k in BAND_KEYS]
                                    for d in report["districts"]]
    weakest = sorted((c for c in report["criteria"] if c["assessed"]), key=lambda c: (c["met"] / c["assessed"],
                                                                                        c["number"]))[:5]
    assert [r[:3] for r in cells(criteria)[1:]] == [[f"{c['number']}. {c['title']}", str(c["met"]), str(c["assessed"])]
                                                     for c in weakest]
    assert ["Hòm thư Zalo 4.0", "1/17", "4"] in cells(models)
    assert cells(models)[1:] == [[m["name"], f"{m['units_with']}/{m['units_total']}", str(m["count"])]
                                 for m in report["models"]]


def test_docx_download_from_the_report_page(client, scenario):
    client.force_login(factories.province_viewer())
    page = client.get(reverse("reports:progress") + "?year=2025").content.decode()
    assert reverse("reports:progress_docx") in page
    response = download_via_job(client, reverse("reports:progress_docx") + "?year=2025&figures=preliminary")
    assert response["Content-Disposition"].endswith('-2025-so-bo.docx"')
    _doc, text, _head = read(response.content)
    assert "Số liệu sơ bộ" in text
    officer = factories.officer(factories.UnitFactory())
    client.force_login(officer)
    assert client.get(reverse("reports:progress_docx") + "?year=2025").status_code == 403
    assert client.post(reverse("reports:progress_docx") + "?year=2025").status_code == 403
