import pytest

from tests import factories

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """The production backend: a POST only queues the task; run_worker() then runs the queue."""
    settings.TASKS = DATABASE_BACKEND


def run_worker() -> None:
    """django-tasks-db's worker, in this process, until the queue is empty (what `db_worker --batch` does).

    Its check for stale connections is switched off meanwhile: inside a test's transaction it would close
    the test's own PostgreSQL connection."""
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                         startup_delay=False, max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


@pytest.fixture
def registrations(db):
    """Five registrations in one district, and a reviewer of that district (who may export them)."""
    district = factories.DistrictFactory()
    units = [factories.UnitFactory(district=district) for _ in range(5)]
    for unit in units:
        factories.RegistrationFactory(unit=unit, year=2023)
    return {"reviewer": factories.reviewer(district), "units": units}
