"""The completeness page, its exports and the command: scope, agreement, sorting, query counts."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

from .completeness_fixtures import EXPECTED, Y, at, build, walk

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = reverse("reports:completeness")
JSON = reverse("reports:completeness_json")
CSV = reverse("reports:completeness_csv")


@pytest.fixture
def units(criteria_set):
    return build(criteria_set)


def q(day, **extra):
    params = {"year": Y, "as_of": day.isoformat(), **extra}
    return "?" + "&".join(f"{k}={v}" for k, v in params.items())


def command(*args):
    out = StringIO()
    call_command("completeness_report", *args, stdout=out)
    return json.loads(out.getvalue())


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize("url", [PAGE, JSON, CSV])
def test_officers_are_refused_and_anonymous_users_sent_to_login(client, units, url):
    assert client.get(url + q(D(Y, 12, 1))).status_code == 302
    client.force_login(factories.officer(units["a1"]))
    assert client.get(url + q(D(Y, 12, 1))).status_code == 403


@pytest.mark.parametrize("url", [PAGE, JSON, CSV])
def test_provincial_staff_and_admins_see_every_unit(client, units, url):
    for user in (factories.province_viewer(), factories.administrator()):
        client.force_login(user)
        response = client.get(url + q(D(Y, 12, 1)))
        assert response.status_code == 200
    assert client.get(JSON + q(D(Y, 12, 1))).json()["units_total"] == 9


def test_a_reviewer_sees_only_their_scope(client, units):
    client.force_login(factories.reviewer(units["B"]))
    data = client.get(JSON + q(D(Y, 12, 16))).json()
    assert data["units_total"] == 4 and [d["name"] for d in data["districts"]] == ["Huyện B"]
    assert {u["name"] for u in data["units"]} == {"Xã B1", "Xã B2", "Xã B3", "Xã B4"}
    page = client.get(PAGE + q(D(Y, 12, 16))).content.decode()
    assert "Xã B3" in page and "Xã A1" not in page and "Huyện A" not in page
    csv = client.get(CSV + q(D(Y, 12, 16))).content.decode("utf-8-sig")
    assert "Xã B1" in csv and "Xã A2" not in csv


def test_a_programme_of_another_province_is_not_found(client, units):
    factories.ProgrammeFactory(code="other", name="Khác", territory_province=factories.ProvinceFactory(code=1,
                                                                                                       name="Hà Nội"))
    client.force_login(factories.province_viewer())
    assert client.get(PAGE + q(D(Y, 12, 1), programme="other")).status_code == 404


# ---------------------------------------------------------------- page, JSON and command agree


@pytest.mark.parametrize("day", list(EXPECTED), ids=[d.isoformat() for d in EXPECTED])
def test_page_json_and_command_agree(client, units, day):
    client.force_login(factories.province_viewer())
    data = client.get(JSON + q(day)).json()
    assert data == command("--year", str(Y), "--as-of", day.isoformat(), "--format", "json")
    assert data["counts"] == EXPECTED[day] and data["as_of"] == day.isoformat()
    page = client.get(PAGE + q(day)).content.decode()
    for state, n in data["counts"].items():
        row = re.search(rf'<tr data-state="{state}">.*?data-field="count">(\d+)<', page, re.S)
        assert row and int(row.group(1)) == n, state
    for d in data["districts"]:
        row = re.search(rf'<tr data-district="{d["code"]}">(.*?)</tr>', page, re.S).group(1)
        cells = dict(re.findall(r'data-state="(\w+)">(\d+)<', row))
        assert {k: int(v) for k, v in cells.items()} == d["counts"]
    missing = re.search(r'data-testid="missing-table">(.*?)</table>', page, re.S)
    shown = set(re.findall(r'<tr data-unit="(\d+)"', missing.group(1))) if missing else set()
    assert shown == {u["code"] for u in data["units"] if u["state"] in ("not_started", "draft", "returned")}


def test_command_options(units, criteria_set):
    data = command("--year", str(Y), "--as-of", "2026-11-29", "--programme", criteria_set.programme.code)
    assert data["units_total"] == 9 and data["counts"] == EXPECTED[D(Y, 11, 29)]
    assert [k for k in data] == ["year", "as_of", "units_total", "reported", "counts", "districts", "units"]
    with pytest.raises(CommandError, match="không hợp lệ"):
        command("--year", str(Y), "--as-of", "31/02/2026")
    with pytest.raises(CommandError, match="Không có chương trình"):
        command("--year", str(Y), "--programme", "nope")


def test_csv_has_a_bom_and_every_unit_with_dates(client, units):
    client.force_login(factories.province_viewer())
    response = client.get(CSV + q(D(Y, 12, 16)))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "tinh-hinh-nop-nq12_commune-2026-2026-12-16.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Mã đơn vị,Tên đơn vị") and len(lines) == 1 + 9
    a4 = next(line for line in lines if "Xã A4" in line)
    assert "Đã thẩm định quá hạn" in a4 and "30/11/2026" in a4 and "16/12/2026" in a4


# ---------------------------------------------------------------- the page itself


def test_page_shows_the_calendar_and_the_summary(client, units):
    client.force_login(factories.province_viewer())
    page = client.get(PAGE + q(D(Y, 12, 1))).content.decode()
    assert "30/11/2026" in page and "15/12/2026" in page and "16/11/2025" in page
    assert "tính đến hết ngày 01/12/2026" in page
    # By hand on 1/12: sent a3, a4 (on time), a5 (late), b2 (verified); missing a1, a2, b1 (returned), b3, b4.
    assert re.search(r'data-field="submitted">4/9<', page)
    assert re.search(r'data-field="on_time">3<', page)
    assert re.search(r'data-field="missing">5<', page)
    assert 'class="progress-stacked state-bar"' in page and 'style="' not in page  # CSP: no inline styles


def test_missing_list_sorts_server_side_with_links(client, units):
    client.force_login(factories.province_viewer())

    def names(sort):
        page = client.get(PAGE + q(D(Y, 11, 29), sort=sort)).content.decode()
        table = re.search(r'data-testid="missing-table">(.*?)</table>', page, re.S).group(1)
        return re.findall(r">(Xã \w+)</a>", table), page

    ascending, page = names("name")
    assert ascending == sorted(ascending)
    assert 'aria-sort="ascending"><a href="?year=2026&amp;as_of=2026-11-29&amp;sort=-name#missing"' in page
    descending, _page = names("-name")
    assert descending == list(reversed(ascending))
    by_state, _page = names("state")
    assert by_state[0] in ("Xã A1", "Xã B3", "Xã B4")  # not started first
    assert names("nonsense")[0] == names("district")[0]


def test_bad_parameters_give_a_message_not_a_500(client, units):
    client.force_login(factories.province_viewer())
    response = client.get(PAGE + "?as_of=hôm-qua&year=abc")
    assert response.status_code == 200
    page = response.content.decode()
    assert "không hợp lệ" in page
    assert client.get(JSON + "?as_of=2026-13-01").status_code == 400
    assert client.get(CSV + "?year=1800").status_code == 400


def test_links_from_the_navigation_and_the_progress_page(client, units):
    client.force_login(factories.province_viewer())
    assert f'href="{PAGE}"' in client.get(PAGE + q(D(Y, 12, 1))).content.decode()
    assert f'href="{PAGE}?year=' in client.get(reverse("reports:progress") + "?year=2026").content.decode()
    client.force_login(factories.reviewer(units["A"]))
    assert f'href="{PAGE}"' in client.get(reverse("assessments:reviewer_inbox")).content.decode()
    client.force_login(factories.officer(units["a1"]))
    assert f'href="{PAGE}"' not in client.get(reverse("assessments:officer_home")).content.decode()


def _grow(n):
    district = factories.DistrictFactory()
    for i in range(n):
        unit = factories.UnitFactory(district=district)
        if i % 2:
            walk(unit, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20 + i % 10))))


@pytest.mark.parametrize("url", [PAGE, JSON, CSV])
def test_query_count_is_constant(client, criteria_set, url):
    client.force_login(factories.province_viewer())
    _grow(4)
    client.get(url + q(D(Y, 12, 1)))  # the first read of the year stores its figures
    with CaptureQueriesContext(connection) as small:
        assert client.get(url + q(D(Y, 12, 1))).status_code == 200
    _grow(40)
    client.get(url + q(D(Y, 12, 1)))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url + q(D(Y, 12, 1))).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries) <= 16
