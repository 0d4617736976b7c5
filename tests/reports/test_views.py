"""Report pages and exports: permissions, agreement between page/JSON/xlsx, query counts, bad input."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.loaders import PROGRAMMES_DIR, targets_load
from assessments.models import Recognition
from reports.progress import BAND_KEYS, progress_report
from tests import factories
from tests.conftest import record
from tests.exports import download_via_job

from .conftest import EXPECTED_BANDS, EXPECTED_TARGETS

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- permissions


@pytest.fixture
def people(unit, other_unit, criteria_set):
    return {
        "anonymous": None,
        "officer": factories.officer(unit),
        "reviewer": factories.reviewer(unit.district),
        "other_reviewer": factories.reviewer(other_unit.district),
        "province": factories.province_viewer(),
        "admin": factories.administrator(),
    }


def urls(unit, other_unit):
    d, od = unit.district.code, other_unit.district.code
    return {
        "progress": reverse("reports:progress"),
        "json": reverse("reports:progress_json") + "?year=2025",
        "xlsx": reverse("reports:progress_xlsx") + "?year=2025",
        "csv": reverse("reports:units_csv") + "?year=2025",
        "csv_district": reverse("reports:units_csv") + f"?district={d}",
        "district": reverse("reports:district", args=[d]),
        "criteria": reverse("reports:criteria"),
        "criteria_district": reverse("reports:criteria") + f"?district={d}",
        "criteria_other": reverse("reports:criteria") + f"?district={od}",
        "unit": reverse("reports:unit", args=[unit.pk]),
        "other_unit": reverse("reports:unit", args=[other_unit.pk]),
        "other_district": reverse("reports:district", args=[od]),
    }


L = "login"
# url → status for (officer, reviewer, other_reviewer, province, admin); anonymous always → login.
MATRIX = {
    "progress": (403, 302, 302, 200, 200),
    "json": (403, 403, 403, 200, 200),
    "xlsx": (403, 403, 403, 200, 200),
    "csv": (403, 403, 403, 200, 200),
    "csv_district": (403, 200, 404, 200, 200),
    "district": (403, 200, 404, 200, 200),
    "other_district": (404, 404, 200, 200, 200),  # outside the officer's scope: 404 before the role check
    "criteria": (403, 200, 200, 200, 200),
    "criteria_district": (403, 200, 404, 200, 200),
    "criteria_other": (404, 404, 200, 200, 200),
    "unit": (200, 200, 404, 200, 200),
    "other_unit": (404, 404, 200, 200, 200),
}
ROLES = ("officer", "reviewer", "other_reviewer", "province", "admin")


@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(client, people, unit, other_unit, name):
    url = urls(unit, other_unit)[name]
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], "anonymous → login"
    for role, expected in zip(ROLES, MATRIX[name], strict=True):
        client.force_login(people[role])
        assert client.get(url).status_code == expected, (name, role)
        client.logout()


def test_reviewer_lands_on_own_district(client, people, unit):
    response = login(client, people["reviewer"]).get(reverse("reports:progress") + "?year=2025")
    assert response["Location"] == reverse("reports:district", args=[unit.district.code]) + "?year=2025"


def test_home_sends_provincial_staff_to_progress(client, people):
    assert login(client, people["province"]).get("/")["Location"] == reverse("reports:progress")


# ---------------------------------------------------------------- content and agreement


@pytest.fixture
def viewer_client(client, scenario):
    return login(client, factories.province_viewer())


def page_targets(html: str) -> dict:
    out = {}
    for chunk in html.split('data-target-key="')[1:]:
        key = chunk[: chunk.index('"')]
        card = chunk.split("</div>\n        </div>\n      </div>")[0]
        fields = dict(re.findall(r'data-field="(\w+)">([^<]+)<', card))
        out[key] = fields
    return out


def test_page_json_and_xlsx_agree(viewer_client):
    data = json.loads(viewer_client.get(reverse("reports:progress_json") + "?year=2025").content)
    assert data == json.loads(json.dumps(progress_report(year=2025)))
    assert data["bands"] == EXPECTED_BANDS

    html = viewer_client.get(reverse("reports:progress") + "?year=2025").content.decode()
    cards = page_targets(html)
    wb = load_workbook(io.BytesIO(download_via_job(viewer_client, reverse("reports:progress_xlsx") + "?year=2025").content))
    sheet = {row[0]: row for row in wb["Mục tiêu"].iter_rows(min_row=2, values_only=True) if row[0]}
    for t in data["targets"]:
        key = t["key"]
        assert (t["target"], t["actual"], t["cumulative_target"], t["cumulative_actual"], t["met"]) == \
            EXPECTED_TARGETS[key]
        row = sheet[key]
        assert (row[4], row[5], row[6], row[7]) == (t["target"], t["actual"], t["cumulative_target"],
                                                    t["cumulative_actual"])
        assert row[8] == t["state_label"]  # one state word: Đạt / Không đạt / Chưa đạt
        assert int(cards[key]["target"]) == t["target"] and int(cards[key]["actual"]) == t["actual"]
        if t["tier"]:
            assert int(cards[key]["cumulative_target"]) == t["cumulative_target"]
            assert int(cards[key]["cumulative_actual"]) == t["cumulative_actual"]
        assert cards[key]["state"] == t["state_label"]

    bands_sheet = {r[0]: r[1:] for r in wb["Nhóm kết quả"].iter_rows(min_row=2, values_only=True)}
    from assessments.models import Band

    for key in BAND_KEYS:
        label = str(Band(key).label)
        assert bands_sheet[label] == (data["bands"][key], data["bands_preliminary"][key])
        assert re.search(rf'data-band="{re.escape(key)}">.*?<td class="num">{data["bands"][key]}</td>', html)

    districts = {str(r[0]): r for r in wb["Huyện"].iter_rows(min_row=2, values_only=True)}
    for d in data["districts"]:
        row = districts[d["code"]]
        assert row[2] == d["units"]
        assert list(row[3:6]) == [d["recognized"][k] for k in ("commune", "district", "province")]
        assert list(row[6:12]) == [d["bands"][k] for k in BAND_KEYS]
        assert f'data-district="{d["code"]}"' in html

    matrix = list(wb["Ma trận tiêu chí"].iter_rows(values_only=True))
    assert matrix[0][3:] == tuple(f"TC {n}" for n in range(1, 17))
    assert len(matrix) == 1 + 17
    assert wb["Mục tiêu"].freeze_panes == "A2" and wb["Ma trận tiêu chí"].freeze_panes == "D2"
    assert wb["Mục tiêu"].column_dimensions["C"].width >= 60


def test_progress_page_content(viewer_client):
    response = viewer_client.get(reverse("reports:progress") + "?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    # The tier note is computed from the targets and the frame (17 units here), not typed out.
    assert 'data-testid="tier-note"' in html
    assert "20 + 30 + 50 + 31 = 131" in html and "không phải 17" in html and "20 · 50 · 100 · 131" in html
    assert "Số liệu chính thức" in html and 'id="bands-data"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "reports/reports.js" in html
    assert "<script>" not in html and ' style="' not in html and "onclick" not in html  # CSP
    assert "Đã qua hạn" in html and "Chưa đến hạn" in html and "Hạn trong năm báo cáo" in html
    for t in progress_report(year=2025)["targets"]:
        assert t["text"] in html


def test_default_year_is_latest_with_assessments(viewer_client, scenario):
    record(scenario["a8"], 2026, 3)
    response = viewer_client.get(reverse("reports:progress"))
    assert response.context["year"] == 2026


def test_preliminary_switch_is_announced(viewer_client):
    html = viewer_client.get(reverse("reports:progress") + "?year=2025&figures=preliminary").content.decode()
    assert "Số liệu sơ bộ" in html
    assert re.search(r'data-band="13\+">.*?<td class="num">4</td>', html)


@pytest.mark.parametrize("query", ["?year=abc", "?year=99999", "?year=1800", "?figures=nonsense", "?year=%00"])
def test_bad_parameters_give_a_message_not_a_500(viewer_client, query):
    response = viewer_client.get(reverse("reports:progress") + query)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    for name in ("reports:progress_json", "reports:progress_xlsx", "reports:units_csv"):
        assert viewer_client.get(reverse(name) + query).status_code == 400


def test_bad_district_codes_are_404(viewer_client):
    assert viewer_client.get(reverse("reports:criteria") + "?district=abc").status_code == 404
    assert viewer_client.get(reverse("reports:units_csv") + "?district=123456").status_code == 404
    assert viewer_client.get(reverse("reports:district", args=[999999])).status_code == 404
    assert viewer_client.get(reverse("reports:unit", args=[999999])).status_code == 404


def test_district_page_lists_units_with_band_status_and_recognition(viewer_client, scenario):
    html = viewer_client.get(reverse("reports:district", args=[scenario["A"].code]) + "?year=2025").content.decode()
    row = html.split(f'data-unit="{scenario["uD"].code}"')[1].split("</tr>")[0]
    assert "Đã được công nhận" in row and "Cấp huyện" in row and "Đã thẩm định" in row
    row = html.split(f'data-unit="{scenario["uRet"].code}"')[1].split("</tr>")[0]
    assert "Bị trả lại" in row and "Chưa có đánh giá" in row
    assert "Xã ward" not in html


def test_criteria_page_weakest_first_and_matrix(viewer_client, scenario):
    response = viewer_client.get(reverse("reports:criteria") + "?year=2025")
    weakest = response.context["weakest"]
    # 14, 15 and 16 are met only by the 16/16 units (6 of 13); ties keep the criterion order.
    assert [c["number"] for c in weakest[:3]] == [14, 15, 16]
    assert [c["number"] for c in weakest[-8:]] == list(range(1, 9))  # met by 12 of 13
    assert [c["met"] for c in weakest] == sorted(c["met"] for c in weakest)
    html = response.content.decode()
    row = html.split(f'data-unit="{scenario["a9"].code}"')[1].split("</tr>")[0]
    assert row.count('class="met"') == 9 and row.count('class="not-met"') == 7
    row = html.split(f'data-unit="{scenario["uSub"].code}"')[1].split("</tr>")[0]
    assert row.count('class="none"') == 16  # official: not verified → no result shown


def test_unit_history_page(client, scenario):
    a8 = scenario["a8"]
    record(a8, 2024, 5)
    response = login(client, factories.officer(a8)).get(reverse("reports:unit", args=[a8.pk]))
    assert response.status_code == 200
    assert [y["year"] for y in response.context["history"].years] == [2024, 2025]
    assert response.context["chart"]["verified"] == [5, 8]
    assert 'id="history-data"' in response.content.decode()


def test_units_csv_has_bom_and_every_unit(viewer_client):
    content = viewer_client.get(reverse("reports:units_csv") + "?year=2025").content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Mã đơn vị,Tên đơn vị")
    assert len(lines) == 1 + 17


# ---------------------------------------------------------------- query counts


def grow(n, district, criteria_set):
    for i in range(n):
        u = factories.UnitFactory(district=district)
        record(u, 2025, i % 17)
        if i % 5 == 0:
            factories.RecognitionFactory(unit=u)


def count_queries(client, url):
    client.get(url)  # steady state: the first read of a year stores its figures
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["progress", "district", "criteria", "criteria_province", "unit", "xlsx"])
def test_query_count_is_constant(client, criteria_set, page):
    targets_load(PROGRAMMES_DIR / "nq12_commune" / "targets.json")
    district = factories.DistrictFactory()
    other = factories.DistrictFactory()
    grow(10, district, criteria_set)
    grow(10, other, criteria_set)
    unit = district.units.first()
    url = {
        "progress": reverse("reports:progress") + "?year=2025",
        "district": reverse("reports:district", args=[district.code]) + "?year=2025",
        "criteria": reverse("reports:criteria") + f"?year=2025&district={district.code}",
        "criteria_province": reverse("reports:criteria") + "?year=2025&figures=preliminary",
        "unit": reverse("reports:unit", args=[unit.pk]),
        "xlsx": reverse("reports:progress_xlsx") + "?year=2025",
    }[page]
    login(client, factories.province_viewer())
    small = count_queries(client, url)
    grow(66, district, criteria_set)
    grow(65, other, criteria_set)  # 151 units in all
    # The frame and its holders are read in a few grouped queries per evaluation date (DESIGN §7).
    large = count_queries(client, url)
    assert small == large <= 22  # + the notification badge on every page


def test_a_district_outside_the_scope_is_404_even_for_a_role_without_district_pages(client, criteria_set):
    """§4: outside the scope → 404 before any role check; inside but not allowed → 403."""
    own, other = factories.DistrictFactory(), factories.DistrictFactory()
    officer = factories.officer(factories.UnitFactory(district=own))
    login(client, officer)
    for code, status in ((other.code, 404), (own.code, 403)):
        assert client.get(reverse("reports:district", args=[code])).status_code == status
        assert client.get(reverse("reports:criteria") + f"?district={code}").status_code == status
        assert client.get(reverse("reports:units_csv") + f"?district={code}").status_code == status


def test_a_restated_target_shows_its_history_and_the_note_follows(viewer_client, admin_user):
    """§7: a target restated in the admin is audited and shown on the page; the tier note is computed."""
    from assessments.models import Target

    target = Target.objects.get(key="2025-band-9")
    target.number = 25
    target._history_user = admin_user
    target._change_reason = "Điều chỉnh sau sắp xếp đơn vị hành chính"
    target.save()
    html = viewer_client.get(reverse("reports:progress") + "?year=2025").content.decode()
    assert 'data-testid="target-restated"' in html
    assert "Chỉ tiêu: 31 → 25" in html and "Điều chỉnh sau sắp xếp" in html
    assert "20 + 30 + 50 + 25 = 125" in html and "20 · 50 · 100 · 125" in html


def test_unit_chart_never_plots_a_draft(client, criteria_set):
    """Drafts never count, not even as a preliminary figure (issue 9)."""
    import json

    from assessments import services

    unit = factories.UnitFactory()
    record(unit, 2024, 12)
    officer = factories.officer(unit)
    draft = services.assessment_get_or_create(unit=unit, year=2025, actor=officer)
    result = draft.results.first()
    services.assessment_save_self(assessment=draft, actor=officer, version=draft.version,
                                  values={result.criterion_id: {"self_result": "met"}})
    login(client, officer)
    page = client.get(reverse("reports:unit", args=[unit.pk])).content.decode()
    data = json.loads(page.split('id="history-data" type="application/json">')[1].split("</script>")[0])
    assert data["labels"] == ["2024", "2025"]
    assert data["self"] == [12, None] and data["verified"] == [12, None]


# ---------------------------------------------------------------- user text in exports


FORMULA = '=HYPERLINK("http://x.invalid","Mở")'


def test_units_csv_quotes_a_decision_number_that_looks_like_a_formula(viewer_client, scenario):
    Recognition.objects.filter(unit=scenario["uC"]).update(decision_number=FORMULA)
    content = viewer_client.get(reverse("reports:units_csv") + "?year=2025").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    row = next(r for r in rows if r[1] == scenario["uC"].name)
    assert row[12] == "'" + FORMULA
    assert not any(cell.startswith("=") for r in rows for cell in r)
    assert row[7] == "16"  # counts are plain numbers


def test_progress_xlsx_writes_a_decision_number_as_text(viewer_client, scenario):
    Recognition.objects.filter(unit=scenario["uC"]).update(decision_number=FORMULA)
    wb = load_workbook(io.BytesIO(download_via_job(viewer_client, reverse("reports:progress_xlsx") + "?year=2025").content))
    row = next(r for r in wb["Đơn vị"].iter_rows(min_row=2) if r[1].value == scenario["uC"].name)
    assert (row[12].data_type, row[12].value) == ("s", FORMULA)
    assert (row[7].data_type, row[7].value) == ("n", 16)


@pytest.mark.parametrize("name", ["json", "xlsx", "csv", "csv_district"])
def test_exports_are_not_cached(client, people, unit, other_unit, name):
    login(client, people["admin"])
    url = urls(unit, other_unit)[name]
    response = download_via_job(client, url) if name == "xlsx" else client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
