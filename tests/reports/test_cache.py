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
from reports.progress import build_report, progress_report
from tests import factories
from tests.conftest import record
from tests.data_exchange.conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


def test_a_report_is_computed_once_until_something_changes(backend, world):
    _figures()
    with CaptureQueriesContext(connection) as ctx:
        again = _figures()
    assert len(ctx.captured_queries) <= 2  # the programme lookups only; the figures come from the cache
    record(world["units"][1], 2024, 9)  # a write elsewhere in the data
    assert _figures() == again  # same numbers for 2025, but recomputed:
    with CaptureQueriesContext(connection) as ctx:
        progress_report(year=2025)
    assert len(ctx.captured_queries) <= 1


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
