"""A small world for the API tests: the same objects in the user's own scope and in another district,
users of every role, and a read-write token for each (tests/test_permissions.py builds the pages' twin)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from api import services as api_services
from assessments import services
from assessments.models import Level, Result
from inventory.models import CountStatus, ModelCount, ModelType
from tests import factories
from tests.conftest import record

ROLES = ("officer", "reviewer", "province", "national", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # role → raw read-write token
    objects: dict = field(default_factory=dict)  # "own"/"other" → name → object


def build_world(*, unit, other_unit, admin) -> World:
    factories.CriteriaSetFactory()
    world = World()
    model_type = ModelType.objects.create(code="camera", name="Camera an ninh")
    for scope, u in (("own", unit), ("other", other_unit)):
        officer = factories.officer(u, username=f"xa_{scope}")
        verified = record(u, 2023, 16)
        submitted = record(u, 2024, 16, stage="self")
        draft = services.assessment_get_or_create(unit=u, year=2025, actor=officer)
        # Every criterion answered, so that a submit can succeed.
        draft = services.assessment_save_self(assessment=draft, actor=officer, version=draft.version, values={
            r.criterion_id: {"self_result": Result.MET, "note": ""} for r in draft.results.all()})
        recognition = services.recognition_create(
            unit=u, level=Level.COMMUNE, decision_number=f"1/QĐ-{scope}", decision_date=datetime.date(2024, 6, 1),
            issued_by="UBND huyện", actor=admin)
        registration = factories.RegistrationFactory(unit=u, year=2025)
        count = ModelCount.objects.create(unit=u, year=2025, model_type=model_type, count=2, status=CountStatus.SELF)
        world.objects[scope] = dict(unit=u, officer=officer, verified=verified, submitted=submitted, draft=draft,
                                    recognition=recognition, registration=registration, model_count=count)
    world.users = {
        "officer": world.objects["own"]["officer"],
        "reviewer": factories.reviewer(unit.district, username="thamdinh"),
        "province": factories.province_viewer(unit.province, username="tinh"),
        "national": factories.UserFactory(role="national_viewer", username="toanquoc"),
        "admin": admin,
    }
    for role, user in world.users.items():
        world.tokens[role] = api_services.api_token_create(user=user, name=f"thử {role}", can_write=True)[1]
    return world


@pytest.fixture
def world(unit, other_unit, admin_user) -> World:
    return build_world(unit=unit, other_unit=other_unit, admin=admin_user)


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
