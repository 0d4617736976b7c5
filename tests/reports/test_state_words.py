"""One state word per target and one heading per report (DESIGN §2, issue 21), on every page and file.

The hand-computed province of `conftest.scenario` (2025) under 12/NQ-TU's targets. Hoà Bình (17) ends on
30/6/2025 and is merged into Phú Thọ (25); the programme's body is data ("Ban Thường vụ Tỉnh ủy Hoà Bình").

Target states by hand: in the 2025 report the 2022 target (not met, deadline passed) is "Không đạt", the
2025 targets (not met, deadline 31/12/2025 not before the report's day) "Chưa đạt", the province-level one
of 2030 (met) "Đạt" and the per-district one of 2030 "Chưa đạt". In the 2026 report the 2025 targets'
deadline has passed: "Không đạt".
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from communes.lineage import province_on
from reports.national import national_report
from reports.progress import build_report, report_heading
from reports.trends import trends
from tests import factories
from tests.exports import download_via_job

from .test_views import page_targets

pytestmark = pytest.mark.django_db
D = datetime.date
BODY = "Ban Thường vụ Tỉnh ủy Hoà Bình"

STATES_2025 = {
    "2022-pilot-commune": "Không đạt",
    "2025-recognized-commune": "Chưa đạt",
    "2025-recognized-district": "Chưa đạt",
    "2025-band-13": "Chưa đạt",
    "2025-band-10": "Chưa đạt",
    "2025-band-9": "Chưa đạt",
    "2030-recognized-province": "Đạt",
    "2030-each-district": "Chưa đạt",
}
STATES_2026 = {**STATES_2025, **{key: "Không đạt" for key in STATES_2025 if key.startswith("2025-")}}


@pytest.fixture
def merged(scenario, criteria_set):
    """The scenario's province merged into Phú Thọ on 1/7/2025; the programme names its body."""
    programme = criteria_set.programme
    programme.resolution_issuer = BODY
    programme.save()
    p17 = programme.territory_province
    p25 = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
    p17.valid_to, p17.successor = D(2025, 6, 30), p25
    p17.save()
    return {"programme": programme, "p17": p17, "p25": p25, "viewer": factories.province_viewer(p25)}


def docx_targets(data: bytes) -> dict[str, str]:
    """Target text → the .docx's "Đánh giá" cell, read back with python-docx."""
    table = Document(io.BytesIO(data)).tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][-1] == "Đánh giá"
    return {r[0]: r[-1] for r in rows[1:]}


def docx_head_and_signature(data: bytes) -> tuple[str, str]:
    doc = Document(io.BytesIO(data))
    head = "\n".join(c.text for c in doc.tables[0].rows[0].cells)
    signature = "\n".join(c.text for c in doc.tables[-1].rows[0].cells)
    return head, signature


@pytest.mark.parametrize("year,expected", [(2025, STATES_2025), (2026, STATES_2026)])
def test_docx_xlsx_page_and_json_say_the_same_state_word(client, merged, year, expected):
    report = build_report(year=year, programme=merged["programme"])
    assert {t["key"]: t["state_label"] for t in report["targets"]} == expected
    client.force_login(merged["viewer"])
    query = f"?year={year}"
    cards = page_targets(client.get(reverse("reports:progress") + query).content.decode())
    assert {key: card["state"] for key, card in cards.items()} == expected
    data = client.get(reverse("reports:progress_json") + query).json()
    assert {t["key"]: t["state_label"] for t in data["targets"]} == expected
    workbook = load_workbook(io.BytesIO(download_via_job(client, reverse("reports:progress_xlsx") + query).content))
    sheet = {row[0]: row[8] for row in workbook["Mục tiêu"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert sheet == expected
    in_docx = docx_targets(download_via_job(client, reverse("reports:progress_docx") + query).content)
    assert in_docx == {t["text"]: expected[t["key"]] for t in report["targets"]}


def test_trends_and_national_read_the_same_states(client, merged):
    programme = merged["programme"]
    data = trends(programme=programme, year=2026)
    assert data["years"][-2:] == [2025, 2026]
    for i, year in enumerate(data["years"]):
        report = {t["key"]: t for t in build_report(year=year, programme=programme)["targets"]}
        for t in data["targets"]:
            cell = t["cells"][i]
            if cell["actual"] is not None:
                assert (cell["state"], cell["state_label"]) == (report[t["key"]]["state"],
                                                                report[t["key"]]["state_label"])
    assert {t["key"]: t["cells"][-1]["state_label"] for t in data["targets"]} == STATES_2026
    client.force_login(merged["viewer"])
    page = client.get(reverse("reports:trends") + "?year=2026").content.decode()
    row = page.split('data-target-key="2025-band-13"')[1].split("</tr>")[0]
    assert re.findall(r'data-state="(\w+)">([^<]+)<', row)[-1] == ("missed", "Không đạt")
    national = national_report(year=2026)["programmes"][0]
    assert national["targets_met"] == sum(1 for word in STATES_2026.values() if word == "Đạt") == 1


def test_the_province_heading_a_report_follows_the_merger(merged):
    p17, p25, programme = merged["p17"], merged["p25"], merged["programme"]
    assert province_on(p17, D(2025, 6, 30)) == p17
    assert province_on(p17, D(2025, 7, 1)) == p25
    assert province_on(p25, D(2026, 12, 31)) == p25
    headings = {year: report_heading(programme, year) for year in (2024, 2025, 2026)}
    assert headings[2024] == {"province": "17", "province_name": "Tỉnh Hoà Bình", "body": BODY}
    assert headings[2025] == headings[2026] == {"province": "25", "province_name": "Tỉnh Phú Thọ", "body": BODY}
    # The frame stays the territory's, as of the resolution date.
    assert build_report(year=2026, programme=programme)["programme"]["territory"]["province_name"] == "Tỉnh Hoà Bình"
    rows = {year: national_report(year=year)["programmes"][0] for year in (2024, 2026)}
    assert (rows[2024]["province"], rows[2024]["province_name"]) == ("17", "Tỉnh Hoà Bình")
    assert (rows[2026]["province"], rows[2026]["province_name"]) == ("25", "Tỉnh Phú Thọ")


@pytest.mark.parametrize("year,province", [(2024, "TỈNH HOÀ BÌNH"), (2026, "TỈNH PHÚ THỌ")])
def test_the_docx_is_headed_by_the_programmes_province_and_body(client, merged, year, province):
    client.force_login(merged["viewer"])
    data = download_via_job(client, reverse("reports:progress_docx") + f"?year={year}").content
    head, signature = docx_head_and_signature(data)
    assert [line for line in head.splitlines() if line][:2] == [province, BODY.upper()]
    assert "TM. " + BODY.upper() in signature
    text = head + signature + "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "BAN CHỈ ĐẠO" not in text and "BCĐ" not in text
    other = "TỈNH PHÚ THỌ" if year == 2024 else "TỈNH HOÀ BÌNH"
    assert other not in head


@pytest.mark.parametrize("page", ["progress", "criteria", "current", "trends", "map", "completeness", "district"])
def test_every_report_page_names_the_programmes_province_and_body(client, merged, scenario, page):
    client.force_login(factories.administrator())
    url = {
        "progress": reverse("reports:progress"), "criteria": reverse("reports:criteria"),
        "current": reverse("reports:current"), "trends": reverse("reports:trends"), "map": reverse("reports:map"),
        "completeness": reverse("reports:completeness"),
        "district": reverse("reports:district", args=[scenario["A"].code]),
    }[page]
    for year, province in ((2024, "Tỉnh Hoà Bình"), (2026, "Tỉnh Phú Thọ")):
        html = client.get(f"{url}?year={year}").content.decode()
        found = re.search(r'data-testid="report-heading">([^<]*)</p>', html)
        assert found, (page, year)
        assert found.group(1) == f"{province} · {BODY}", (page, year)
