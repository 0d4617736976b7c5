"""Double clicks and concurrent requests never give a 500 (issue 9): idempotent or a clear message."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Level, Recognition
from tests.conftest import record


def _twice_at_once(fn):
    """Run fn in two threads released together; return what each returned or raised."""
    barrier, out = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            out.append(fn())
        except Exception as error:  # noqa: BLE001 - the test inspects what was raised
            out.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="real concurrency needs PostgreSQL")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_give_one_assessment(criteria_set, unit, officer_user):
    results = _twice_at_once(lambda: services.assessment_get_or_create(unit=unit, year=2026, actor=officer_user).pk)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1 and Assessment.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_decisions_at_once_record_one(criteria_set, unit, reviewer_user):
    record(unit, 2024, 16)

    def create():
        return services.recognition_create(unit=unit, level=Level.COMMUNE, decision_number="1/QĐ",
                                           decision_date=datetime.date(2025, 1, 5), issued_by="UBND huyện",
                                           actor=reviewer_user).pk

    results = _twice_at_once(create)
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, services.DomainError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert "đã được ghi nhận" in str(refused[0])
    assert Recognition.objects.count() == 1


@pytest.mark.django_db
def test_double_clicks_through_the_pages(client, criteria_set, unit, officer_user, reviewer_user):
    client.force_login(officer_user)
    first = client.post(reverse("assessments:assessment_start"), {"year": 2026})
    second = client.post(reverse("assessments:assessment_start"), {"year": 2026})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Assessment.objects.filter(year=2026).count() == 1
    record(unit, 2024, 16)
    client.force_login(reviewer_user)
    data = {"unit": unit.pk, "level": 1, "decision_number": "7/QĐ", "decision_date": "2025-01-05",
            "issued_by": "UBND huyện"}
    assert client.post(reverse("assessments:recognition_create"), data).status_code == 302
    again = client.post(reverse("assessments:recognition_create"), data)
    assert again.status_code == 400 and "đã được ghi nhận" in again.content.decode()
    assert Recognition.objects.filter(decision_number="7/QĐ").count() == 1


def test_connection_vendor_is_known():
    assert connection.vendor in ("postgresql", "sqlite")
