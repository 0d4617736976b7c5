"""Reports are cached, and every kind of write that can change a figure invalidates them (issue 13).

Run against Django's local cache and against Redis (CI sets PORTAL_REQUIRE_REDIS=1; locally the Redis
case is skipped when no server answers at PORTAL_TEST_REDIS_URL, default redis://127.0.0.1:6379/15).
"""

import datetime
import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Level, Status, Target
from communes.models import UnitSuccession
from data_exchange.services import data_import
from reports.national import national_report
from reports.progress import build_report, progress_report
from tests import factories
from tests.conftest import record
from tests.data_exchange.conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


def _worker_database(url: str) -> str:
    """Each pytest-xdist worker its own Redis database (gw0 → the given one, gw1 → the one below…): the
    tests clear the cache, which empties the whole database, and must not empty a neighbour's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    base, _, number = url.rpartition("/")
    offset = int(worker[2:]) if worker[2:].isdigit() else 0
    return f"{base}/{(int(number or 0) - offset) % 16}"


REDIS_URL = _worker_database(os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))


def _redis_ready() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no server here"
        return False


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    if request.param == "redis":
        if not _redis_ready():
            if os.environ.get("PORTAL_REQUIRE_REDIS"):
                pytest.fail(f"Redis is required for the cache tests and does not answer at {REDIS_URL}")
            pytest.skip("no Redis server here")
        caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                              "KEY_PREFIX": "portal-test"}}
    else:
        caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}}
    with override_settings(CACHES=caches):
        cache.clear()
        yield request.param
        cache.clear()


@pytest.fixture
def world(criteria_set, district, reviewer_user, admin_user):
    units = [factories.UnitFactory(district=district) for _ in range(4)]
    record(units[0], 2024, 16)
    record(units[0], 2025, 16)
    record(units[1], 2025, 12)
    submitted = record(units[2], 2025, 14, stage="self")
    officer = factories.officer(units[3])
    draft = services.assessment_get_or_create(unit=units[3], year=2025, actor=officer)
    factories.TargetFactory(key="rec", kind="recognized", level=Level.COMMUNE, number=1, deadline=D(2025, 12, 31))
    factories.TargetFactory(key="pilot", kind="pilot_recognized", level=Level.COMMUNE, number=1,
                            deadline=D(2025, 12, 31))
    return {"units": units, "submitted": submitted, "draft": draft, "officer": officer,
            "reviewer": reviewer_user, "admin": admin_user}


def _figures():
    official, preliminary = progress_report(year=2025), build_report(year=2025, figures="preliminary")
    targets = {t["key"]: (t["target"], t["actual"], t["met"]) for t in official["targets"]}
    models = [(m["code"], m["units_with"], m["count"]) for m in official.get("models", [])]
    return official["bands"], preliminary["bands_preliminary"], targets, official["units_total"], models


@pytest.fixture
def computed(monkeypatch):
    """Counts the reports actually computed (not served from the cache), by (programme id, year)."""
    from reports import national, progress

    calls = {"progress": [], "national": []}
    build, rows = progress._build_report, national._rows

    def counting_build(year, programme, figures, targets):
        calls["progress"].append((programme.id, year, figures))
        return build(year, programme, figures, targets)

    def counting_rows(programmes, targets, year, as_of):
        calls["national"].extend((p.id, year) for p in programmes)
        return rows(programmes, targets, year, as_of)

    monkeypatch.setattr(progress, "_build_report", counting_build)
    monkeypatch.setattr(national, "_rows", counting_rows)
    return calls


def test_a_report_is_computed_once_until_something_changes(backend, world, computed):
    first = _figures()
    assert len(computed["progress"]) == 2  # official and preliminary
    with CaptureQueriesContext(connection) as ctx:
        again = _figures()
    assert again == first and len(computed["progress"]) == 2  # served from the cache
    # Per report: the programme, its targets and the tokens of the days it reads — no figure is computed.
    assert len(ctx.captured_queries) <= 6
    record(world["units"][1], 2024, 9)  # a write in a year the 2025 report does not read
    assert _figures() == again and len(computed["progress"]) == 2
    _verify(world)  # a write of 2025: both 2025 reports are computed again
    assert _figures() != again and len(computed["progress"]) == 4


def test_a_draft_autosave_leaves_every_cache_entry_valid(backend, world, computed):
    from assessments.models import FactDay

    _figures()
    national_report(year=2025)
    tokens = dict(FactDay.objects.values_list("id", "token"))
    draft, officer = world["draft"], world["officer"]
    for n, result in enumerate(draft.results.all()[:5]):
        draft.refresh_from_db()
        services.assessment_save_criterion(assessment=draft, actor=officer, version=draft.version,
                                           criterion_id=result.criterion_id, self_result="met", note=f"ghi chú {n}")
    assert dict(FactDay.objects.values_list("id", "token")) == tokens
    _figures()
    national_report(year=2025)
    assert len(computed["progress"]) == 2 and len(computed["national"]) == 1


def test_a_verify_forgets_exactly_its_programme_year_and_the_national_year(backend, world, computed):
    other, _set, other_units = _other_programme()
    record(other_units[0], 2025, 11, stage="self")
    reads = [(None, 2025), (None, 2024), (other.code, 2025)]
    for code, year in reads:
        progress_report(year=year, programme=code)
    national_report(year=2025)
    national_report(year=2024)
    computed["progress"].clear(), computed["national"].clear()
    _verify(world)  # an assessment of 2025 in the default programme
    for code, year in reads:
        progress_report(year=year, programme=code)
    national_report(year=2025)
    national_report(year=2024)
    default = world["submitted"].criteria_set.programme_id
    assert computed["progress"] == [(default, 2025, "official")]
    assert computed["national"] == [(default, 2025)]


def _other_programme():
    province = factories.ProvinceFactory(code=25, name="Tỉnh Thử Hai")
    programme = factories.ProgrammeFactory(code="p25", territory_province=province)
    criteria_set = factories.CriteriaSetFactory(programme=programme)
    district = factories.DistrictFactory(province=province)
    return programme, criteria_set, [factories.UnitFactory(district=district) for _ in range(2)]


def test_an_unreachable_cache_never_stops_a_write_or_a_page(client, world):
    """Redis down: every write succeeds and every page answers, computed without the cache."""
    from criteria_portal import figures

    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": "redis://127.0.0.1:1/0",
                        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    with override_settings(CACHES=down):
        figures.reset()
        try:
            client.force_login(world["reviewer"])
            submitted = world["submitted"]
            response = client.post(f"/assessments/{submitted.pk}/review/", {
                "version": submitted.version, "action": "verify",
                **{f"c{r.criterion_id}_verified": "met" for r in submitted.results.all()}})
            assert response.status_code in (200, 302)
            submitted.refresh_from_db()
            assert submitted.status == Status.VERIFIED
            client.force_login(world["admin"])
            for url in ("/reports/?year=2025", "/reports/national/?year=2025", "/reports/completeness/?year=2025",
                        "/reports/trends/?year=2025", "/reports/progress.json?year=2025"):
                assert client.get(url).status_code == 200, url
            assert progress_report(year=2025)["bands"]["13+"] == 2
        finally:
            figures.reset()


def _submit(w):
    services.assessment_save_self(assessment=w["draft"], actor=w["officer"], version=w["draft"].version, values={
        r.criterion_id: {"self_result": "met"} for r in w["draft"].results.all()})
    w["draft"].refresh_from_db()
    services.assessment_submit(assessment=w["draft"], actor=w["officer"])


def _verify(w):
    services.assessment_verify(assessment=w["submitted"], actor=w["reviewer"])


def _return(w):
    services.assessment_return(assessment=w["submitted"], actor=w["reviewer"], reason="Bổ sung")
    # A returned assessment still counts as preliminary; its status is what changed.
    assert w["submitted"].__class__.objects.get(pk=w["submitted"].pk).status == Status.RETURNED


def _reopen(w):
    verified = w["units"][1].assessments.get(year=2025)
    services.assessment_reopen(assessment=verified, actor=w["admin"], reason="Sai sót")


def _recognise(w):
    services.recognition_create(unit=w["units"][0], level=Level.COMMUNE, decision_number="1/QĐ",
                                decision_date=D(2025, 2, 1), issued_by="UBND", actor=w["reviewer"])


def _recognised(w):
    w["recognition"] = factories.RecognitionFactory(unit=w["units"][0], decision_date=D(2025, 1, 5))


def _revoke(w):
    services.recognition_revoke(recognition=w["recognition"], actor=w["admin"], revoked_on=D(2025, 3, 1), reason="x")


def _register(w):
    services.registration_create(unit=w["units"][0], year=2025, actor=w["reviewer"])


def _registered(w):
    _recognised(w)
    w["registration"] = services.registration_create(unit=w["units"][0], year=2025, actor=w["reviewer"])


def _unregister(w):
    services.registration_delete(registration=w["registration"], actor=w["reviewer"])


def _edit_target(w):
    target = Target.objects.get(key="rec")
    target.number = 0
    target.save()


def _import(w):
    # The command line restores a backup over the commune's draft: the multi-row path sends no signal.
    data_import(kind="assessments", name="a.csv", data=csv_bytes([assessment_row(w["units"][3], 2025, met=9)]))


def _merge(w):
    """A unit ends and its successor holds its place: the lineage changes the frame reading."""
    gone, successor = w["units"][1], factories.UnitFactory(district=None, province=w["units"][1].province,
                                                           valid_from=D(2025, 7, 1))
    gone.valid_to = D(2025, 6, 30)
    gone.save()
    UnitSuccession.objects.create(predecessor=gone, successor=successor, effective_on=D(2025, 7, 1))


def _model_count(w):
    from inventory.models import ModelType
    from inventory.services import model_counts_record

    camera = ModelType.objects.create(code="security_camera", name="Camera an ninh", sort_order=1)
    _figures()
    model_counts_record(unit=w["units"][0], year=2025, counts={camera: 3}, actor=None)


def _nothing(w):
    pass


# write → (what is there before the first report, the write)
WRITES = {
    "submit": (_nothing, _submit), "verify": (_nothing, _verify), "return": (_nothing, _return),
    "reopen": (_nothing, _reopen), "recognise": (_nothing, _recognise), "revoke": (_recognised, _revoke),
    "register": (_recognised, _register), "unregister": (_registered, _unregister),
    "edit_target": (_nothing, _edit_target), "import": (_nothing, _import), "merge": (_nothing, _merge),
    "model_count": (_nothing, _model_count),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_kind_of_write_is_seen_by_the_next_report(backend, world, write):
    setup, change = WRITES[write]
    setup(world)
    before = _figures()
    change(world)
    # What the next request reads is what a fresh computation gives, never the cached report.
    after = _figures()
    cache.clear()
    assert after == _figures()
    if write != "return":  # a return changes a status, not a figure of the report
        assert after != before, write
