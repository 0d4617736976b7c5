"""One reading of "reported" (DESIGN §2) on every page, file and command, on days of the reform year.

The year 2025, default calendar: communes send by 30/11, the reviewers verify by 15/12. Frame units of
province 17: a and b went whole into M, c into N (units of province 25 without a district, from 1/7/2025);
f ended on 30/6/2025 with no successor (held by nobody: nobody reports for it); g, k, l, p, q and r hold
their own places. So 8 units must report (M once, though it holds two places).

  M  started 1/11, sent 20/11, verified 10/12            (on time)
  N  started 5/11, sent 25/11, returned 3/12             (back with the officer: not reported)
  g  started 1/11, sent 2/12                             (late)
  k  started 10/11, still a draft
  l  never started
  p  started 1/11, sent 25/11, verified 20/12            (verified late)
  q  started 1/11, sent 28/11, returned on 5/1/2026      (after the year)
  r  started 1/11, sent 29/11, verified on 8/1/2026      (after the year)
"""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from communes.models import UnitSuccession
from reports.completeness import completeness_load
from reports.national import national_report
from tests import factories

from .completeness_fixtures import at, counts, walk

pytestmark = pytest.mark.django_db
D = datetime.date
Y = 2025
END, START = D(2025, 6, 30), D(2025, 7, 1)
HOLDERS = 8


@pytest.fixture
def reform_year(criteria_set):
    p17 = criteria_set.programme.territory_province
    p25 = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
    h = factories.DistrictFactory(province=p17, name="Huyện H")
    u = {key: factories.UnitFactory(district=h, name=f"Xã {key}") for key in "abcfgklpqr"}
    for key in "abcf":
        u[key].valid_to = END
        u[key].save()
    for key in "MN":
        u[key] = factories.UnitFactory(district=None, province=p25, name=f"Xã {key}", valid_from=START)
    for old, new in (("a", "M"), ("b", "M"), ("c", "N")):
        UnitSuccession.objects.create(predecessor=u[old], successor=u[new], effective_on=START)
    walk(u["M"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))), ("verify", at(D(Y, 12, 10))), year=Y)
    walk(u["N"], ("start", at(D(Y, 11, 5))), ("submit", at(D(Y, 11, 25))), ("return", at(D(Y, 12, 3))), year=Y)
    walk(u["g"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 12, 2))), year=Y)
    walk(u["k"], ("start", at(D(Y, 11, 10))), year=Y)
    walk(u["p"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 25))), ("verify", at(D(Y, 12, 20))), year=Y)
    walk(u["q"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 28))), ("return", at(D(Y + 1, 1, 5))), year=Y)
    walk(u["r"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 29))), ("verify", at(D(Y + 1, 1, 8))), year=Y)
    return {"units": u, "programme": criteria_set.programme}


# (today, the day read) → counts by hand; "reported" = submitted on time or late, or verified.
READINGS = {
    "before the commune deadline": (D(Y, 11, 25), counts(not_started=1, draft=4, submitted_on_time=3)),
    "after the commune deadline": (D(Y, 12, 1), counts(not_started=1, draft=2, submitted_on_time=5)),
    "after a return": (D(Y, 12, 4), counts(not_started=1, draft=1, submitted_on_time=4, submitted_late=1,
                                           returned=1)),
    "after a verification": (D(Y, 12, 16), counts(not_started=1, draft=1, submitted_on_time=3, submitted_late=1,
                                                  returned=1, verified_on_time=1)),
    "after a late verification": (D(Y, 12, 21), counts(not_started=1, draft=1, submitted_on_time=2,
                                                       submitted_late=1, returned=1, verified_on_time=1,
                                                       verified_late=1)),
}
# Read in 2026, the past year is read as of its last day: q's return and r's verification of January are
# not seen — the same counts as on 21/12/2025.
PAST_TODAY = D(Y + 1, 1, 15)
PAST = READINGS["after a late verification"][1]


def reported(state_counts: dict) -> int:
    return sum(n for state, n in state_counts.items() if state.startswith(("submitted_", "verified_")))


def verified(state_counts: dict) -> int:
    return state_counts["verified_on_time"] + state_counts["verified_late"]


@pytest.fixture
def on_day(monkeypatch):
    """Make `day` today for every page, command and default."""
    def set_today(day: datetime.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    return set_today


def _page_reported(html: str) -> tuple[int, int]:
    found = re.search(r'data-field="submitted">(\d+)/(\d+)<', html)
    return int(found.group(1)), int(found.group(2))


def _national_reported(html: str, code: str) -> tuple[int, int]:
    row = html.split(f'<tr data-programme="{code}">')[1].split("</tr>")[0]
    found = re.search(r'<td class="num">(\d+)/(\d+) \(\d+%\)</td>', row)  # the "Đã báo cáo" cell
    return int(found.group(1)), int(found.group(2))


def _command(*args) -> dict:
    out = io.StringIO()
    call_command("completeness_report", "--year", str(Y), *args, stdout=out)
    return json.loads(out.getvalue())


def _every_reading(client, programme, day_query: str) -> dict[str, tuple[int, int]]:
    """(reported, units that must report) as each surface shows it; `day_query` "" reads the default day."""
    completeness = f"{reverse('reports:completeness')}?year={Y}{day_query}"
    completeness_json = client.get(f"{reverse('reports:completeness_json')}?year={Y}{day_query}").json()
    national_json = client.get(f"{reverse('reports:national_json')}?year={Y}").json()["programmes"][0]
    national_page = client.get(f"{reverse('reports:national')}?year={Y}").content.decode()
    command = _command(*(("--as-of", day_query.split("=")[1]) if day_query else ()))
    return {
        "completeness page": _page_reported(client.get(completeness).content.decode()),
        "completeness.json": (completeness_json["reported"], completeness_json["units_total"]),
        "completeness_report": (command["reported"], command["units_total"]),
        "national page": _national_reported(national_page, programme.code),
        "national.json": (national_json["reported"], national_json["holders"]),
    }


@pytest.mark.parametrize("moment", list(READINGS))
def test_reported_reads_one_way_on_every_surface(client, reform_year, on_day, moment):
    """On each day of the year, read that day: the completeness page, its JSON, the command, the national page
    and its JSON all say the hand-counted number — a returned assessment is not reported, a late one is."""
    today, expected = READINGS[moment]
    programme = reform_year["programme"]
    on_day(today)
    loaded = completeness_load(programme=programme, year=Y)
    assert loaded.as_of == today
    assert loaded.counts() == expected
    assert loaded.reported == reported(expected) and loaded.units_total == HOLDERS
    row = national_report(year=Y)["programmes"][0]
    assert (row["reported"], row["verified"], row["holders"]) == (reported(expected), verified(expected), HOLDERS)
    client.force_login(factories.administrator())
    hand = (reported(expected), HOLDERS)
    for day_query in ("", f"&as_of={today.isoformat()}"):
        assert _every_reading(client, programme, day_query) == dict.fromkeys(
            ("completeness page", "completeness.json", "completeness_report", "national page", "national.json"),
            hand), (moment, day_query or "default day")


def test_a_past_year_is_read_as_of_its_last_day_everywhere(client, reform_year, on_day):
    """Read in January 2026, the year 2025 is read as of 31/12/2025 by default on every surface; asked for a
    later day, the completeness page shows that day (q returned, r verified) and says so."""
    programme = reform_year["programme"]
    on_day(PAST_TODAY)
    loaded = completeness_load(programme=programme, year=Y)
    assert loaded.as_of == D(Y, 12, 31) and loaded.counts() == PAST
    national = national_report(year=Y)
    assert national["completeness_as_of"] == "2025-12-31"
    assert national["programmes"][0]["reported"] == reported(PAST) == 5
    client.force_login(factories.administrator())
    hand = (reported(PAST), HOLDERS)
    assert _every_reading(client, programme, "") == dict.fromkeys(
        ("completeness page", "completeness.json", "completeness_report", "national page", "national.json"), hand)
    assert _command()["as_of"] == "2025-12-31"
    assert client.get(f"{reverse('reports:completeness_json')}?year={Y}").json()["as_of"] == "2025-12-31"
    page = client.get(f"{reverse('reports:completeness')}?year={Y}").content.decode()
    assert 'value="2025-12-31"' in page
    national_page = client.get(f"{reverse('reports:national')}?year={Y}").content.decode()
    assert "tính đến hết ngày 31/12/2025" in national_page
    # Asked for 15/1/2026: q is back with its officer and r verified (late).
    later = completeness_load(programme=programme, year=Y, as_of=PAST_TODAY).counts()
    assert later == counts(not_started=1, draft=1, submitted_late=1, returned=2, verified_on_time=1, verified_late=2)
    explicit = _every_reading(client, programme, f"&as_of={PAST_TODAY.isoformat()}")
    assert explicit["completeness page"] == explicit["completeness.json"] == explicit["completeness_report"] \
        == (reported(later), HOLDERS) == (4, HOLDERS)


def test_nobody_reports_for_a_place_held_by_nobody(reform_year):
    """f ended with no successor: it is in the frame (the targets count it) but no unit must report for it."""
    loaded = completeness_load(programme=reform_year["programme"], year=Y, as_of=D(Y, 12, 31))
    names = [u.unit.name for u in loaded.units]
    assert "Xã f" not in names and "Xã a" not in names
    assert names.count("Xã M") == 1 and len(names) == HOLDERS
