"""The list endpoints read a constant number of queries, whatever the number of rows (two sizes)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import services as api_services
from communes.models import UnitSuccession
from inventory.models import ModelCount, ModelType
from tests import factories
from tests.api.conftest import bearer
from tests.conftest import record

pytestmark = pytest.mark.django_db
LISTS = ["/api/v1/units/", "/api/v1/units/?on=2024-01-01", "/api/v1/provinces/", "/api/v1/assessments/",
         "/api/v1/assessments/?year=2024&status=verified", "/api/v1/recognitions/", "/api/v1/registrations/",
         "/api/v1/model-counts/", "/api/v1/criteria-sets/", "/api/v1/programmes/", "/api/v1/model-types/"]


def grow(district, model_type, n: int, start: int) -> None:
    """n more units of the district, each with assessments, a recognition, a registration, a count, lineage."""
    for i in range(n):
        unit = factories.UnitFactory(district=district)
        record(unit, 2023, 16)
        record(unit, 2024, 10 + i % 6)
        factories.RecognitionFactory(unit=unit, decision_date=datetime.date(2024, 3, 1))
        factories.RegistrationFactory(unit=unit, year=2024)
        ModelCount.objects.create(unit=unit, year=2024, model_type=model_type, count=i)
        old = factories.UnitFactory(district=district, valid_to=datetime.date(2020, 1, 1), code=80000 + start + i)
        UnitSuccession.objects.create(predecessor=old, successor=unit, effective_on=datetime.date(2020, 1, 2))
    factories.CriteriaSetFactory(valid_from_year=2030 + start // 10)


@pytest.mark.parametrize("role", ["admin", "province"])
def test_list_endpoints_read_a_constant_number_of_queries(client, criteria_set, district, role,
                                                          django_assert_num_queries):
    user = factories.administrator() if role == "admin" else factories.province_viewer()
    headers = bearer(api_services.api_token_create(user=user, name="t")[1])
    model_type = ModelType.objects.create(code="zalo", name="Hòm thư Zalo 4.0")
    grow(district, model_type, 2, 0)
    client.get(LISTS[0], **headers)  # the token's first use is recorded once
    small = {}
    for url in LISTS:
        connection.queries_log.clear()  # a full log (9000 queries) would capture nothing
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        assert response.status_code == 200 and response.json()["count"] >= 1, url
        small[url] = len(queries)
    grow(district, model_type, 10, 100)
    for url in LISTS:
        connection.queries_log.clear()
        with django_assert_num_queries(small[url]):
            response = client.get(url, **headers)
        assert response.json()["count"] >= 1
    assert 2 <= min(small.values()) and max(small.values()) <= 8, small
