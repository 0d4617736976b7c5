import pytest
from django.test import Client

from accounts import two_factor
from assessments import services
from assessments.models import Result
from tests import factories


@pytest.fixture
def criteria_set(db):
    return factories.CriteriaSetFactory()


@pytest.fixture
def district(db):
    return factories.DistrictFactory()


@pytest.fixture
def other_district(db):
    return factories.DistrictFactory()


@pytest.fixture
def unit(district):
    return factories.UnitFactory(district=district)


@pytest.fixture
def other_unit(other_district):
    return factories.UnitFactory(district=other_district)


@pytest.fixture
def officer_user(unit):
    return factories.officer(unit)


@pytest.fixture
def reviewer_user(district):
    return factories.reviewer(district)


@pytest.fixture
def province_user(db):
    return factories.province_viewer()


@pytest.fixture
def admin_user(db):
    return factories.administrator()


def record(unit, year, met, *, stage="verified", total=16, actor=None):
    """An assessment of `unit` for `year` with criteria 1..met met (through the service)."""
    results = {n: (Result.MET if n <= met else Result.NOT_MET) for n in range(1, total + 1)}
    return services.assessment_record(
        unit=unit, year=year, stage=stage, results=results, actor=actor, reason="test"
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached report: the database is rolled back between tests, the cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in Vietnamese: the test client's LocaleMiddleware leaves the
    language of its last request active in the thread, which would leak English into later tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_step(monkeypatch):
    """`client.force_login(user)` stands for a completed sign-in: for a role that requires two-factor sign-in
    that includes the second step (an authenticator is enrolled and the session marked verified, as the code
    step does). Tests of the steps themselves sign in through the pages instead."""
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if two_factor.is_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = factories.enrol_two_factor(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
def _reset_task_backends(*, setting, **kwargs):
    """Django 6.1 keeps the task backends it built; a test that overrides TASKS gets new ones (and the
    next test the old ones again)."""
    if setting != "TASKS":
        return
    from asgiref.local import Local
    from django.tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


def _connect_task_backend_reset():
    from django.test.signals import setting_changed

    setting_changed.connect(_reset_task_backends, dispatch_uid="tests.reset_task_backends")


_connect_task_backend_reset()
