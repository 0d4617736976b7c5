"""load_reference_data: every loader, in order, and a second run changes nothing."""

import io

from django.core.management import call_command

from assessments.models import CriteriaSet, Criterion, Programme, ProgrammeYear, Target
from communes.models import Province, Unit, UnitSuccession
from inventory.models import ModelType

MODELS = (Province, Unit, UnitSuccession, Programme, ProgrammeYear, CriteriaSet, Criterion, Target, ModelType)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_one_command_loads_everything_and_is_idempotent(db):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out, stderr=io.StringIO())
    first = counts()
    text = out.getvalue()
    for name in ("load_divisions", "load_reform_2025", "load_criteria", "load_targets", "load_model_types"):
        assert f"== {name}" in text
    # Hòa Bình and Phú Thọ, both programmes with their criteria and targets, the model types.
    assert first["Province"] == 2 and first["Programme"] == 2 and first["ModelType"] >= 4
    assert first["Unit"] > 151 and first["UnitSuccession"] >= 151 and first["Target"] == 9
    call_command("load_reference_data", stdout=io.StringIO(), stderr=io.StringIO())
    assert counts() == first
