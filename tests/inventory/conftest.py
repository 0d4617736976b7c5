import pytest

from inventory.models import CountStatus, ModelCount, ModelType
from inventory.services import model_types_load


@pytest.fixture
def model_types(db):
    model_types_load()
    return {t.code: t for t in ModelType.objects.all()}


def put(unit, year, code, count, status=CountStatus.VERIFIED):
    """A count written directly (report fixtures; the services have their own tests)."""
    return ModelCount.objects.create(unit=unit, year=year, model_type=ModelType.objects.get(code=code), count=count,
                                     status=status)
