"""The pages' permission matrix (tests/test_permissions.py) repeated through the API: each role × each object
in its own scope and in another district × read and write. Outside the scope 404, inside but not allowed
403, without credentials 401; every write's effect is read back: done when allowed, nothing when refused."""

from __future__ import annotations

import pytest

from assessments.models import Assessment, Recognition, Status
from tests.api.conftest import bearer, build_world

ROLES = ["anonymous", "officer", "reviewer", "province", "national", "admin"]
ALL = {"officer": (200, 200), "reviewer": (200, 200), "province": (200, 200), "national": (200, 200),
       "admin": (200, 200)}
SCOPED = {**ALL, "officer": (200, 404), "reviewer": (200, 404)}


def deny(roles, code=403):
    return {role: (code, code) for role in roles}


def o(world, scope, name):
    return world.objects[scope][name]


def first_criterion(world, scope):
    return o(world, scope, "draft").results.order_by("criterion__number").first().criterion_id


def version(world, scope, name):
    return Assessment.objects.get(pk=o(world, scope, name).pk).version


# name, method, url(world, scope), body(world, scope), expected per role (own, other)
ENDPOINTS = [
    ("unit", "get", lambda w, s: f"/api/v1/units/{o(w, s, 'unit').pk}/", None, SCOPED),
    ("units", "get", lambda w, s: "/api/v1/units/", None, ALL),
    ("assessment", "get", lambda w, s: f"/api/v1/assessments/{o(w, s, 'submitted').pk}/", None, SCOPED),
    ("assessments", "get", lambda w, s: "/api/v1/assessments/", None, ALL),
    ("recognition", "get", lambda w, s: f"/api/v1/recognitions/{o(w, s, 'recognition').pk}/", None, SCOPED),
    ("recognitions", "get", lambda w, s: "/api/v1/recognitions/", None,
     {**ALL, **deny(["officer", "national"])}),
    ("registrations", "get", lambda w, s: "/api/v1/registrations/", None, {**ALL, **deny(["officer", "national"])}),
    ("model_counts", "get", lambda w, s: "/api/v1/model-counts/", None, ALL),
    ("programme", "get", lambda w, s: "/api/v1/programmes/nq12_commune/", None, ALL),
    ("progress", "get", lambda w, s: "/api/v1/reports/progress/?year=2024", None,
     {**ALL, **deny(["officer", "reviewer"])}),
    ("trends", "get", lambda w, s: "/api/v1/reports/trends/?year=2024", None, {**ALL, **deny(["officer", "reviewer"])}),
    ("completeness", "get", lambda w, s: "/api/v1/reports/completeness/?year=2025", None, {**ALL, **deny(["officer"])}),
    ("national", "get", lambda w, s: "/api/v1/reports/national/?year=2024", None,
     {**ALL, **deny(["officer", "reviewer", "province"])}),
    ("start", "post", lambda w, s: "/api/v1/assessments/", lambda w, s: {"year": 2026},
     {"officer": (200, 200), **deny(["reviewer", "province", "national", "admin"])}),
    ("result", "post", lambda w, s: f"/api/v1/assessments/{o(w, s, 'draft').pk}/results/",
     lambda w, s: {"version": version(w, s, "draft"), "criterion": first_criterion(w, s), "self_result": "not_met",
                   "note": "Ghi qua API"},
     {"officer": (200, 404), "reviewer": (403, 404), **deny(["province", "national", "admin"])}),
    ("submit", "post", lambda w, s: f"/api/v1/assessments/{o(w, s, 'draft').pk}/submit/",
     lambda w, s: {"version": version(w, s, "draft")},
     {"officer": (200, 404), "reviewer": (403, 404), **deny(["province", "national", "admin"])}),
    ("return", "post", lambda w, s: f"/api/v1/assessments/{o(w, s, 'submitted').pk}/return/",
     lambda w, s: {"version": version(w, s, "submitted"), "reason": "Thiếu minh chứng"},
     {"officer": (403, 404), "reviewer": (200, 404), **deny(["province", "national"]), "admin": (200, 200)}),
    ("verify", "post", lambda w, s: f"/api/v1/assessments/{o(w, s, 'submitted').pk}/verify/",
     lambda w, s: {"version": version(w, s, "submitted")},
     {"officer": (403, 404), "reviewer": (200, 404), **deny(["province", "national"]), "admin": (200, 200)}),
    # The page answers 400 to a provincial viewer's commune-level decision (the form offers only the levels its
    # role may record); the API, with no form, says what it is: inside the scope, not allowed (403).
    ("recognize", "post", lambda w, s: "/api/v1/recognitions/",
     lambda w, s: {"unit": o(w, s, "unit").pk, "level": "commune", "decision_number": "9/QĐ",
                   "decision_date": "2024-07-01", "issued_by": "UBND huyện"},
     {"officer": (403, 403), "reviewer": (201, 400), **deny(["province", "national"]), "admin": (201, 201)}),
    ("revoke", "post", lambda w, s: f"/api/v1/recognitions/{o(w, s, 'recognition').pk}/revoke/",
     lambda w, s: {"revoked_on": "2025-01-01", "reason": "Vi phạm"},
     {"officer": (403, 404), "reviewer": (200, 404), **deny(["province", "national"]), "admin": (200, 200)}),
]

EFFECTS = {
    "start": lambda w, s, user: Assessment.objects.filter(year=2026).exists(),
    "result": lambda w, s, user: o(w, s, "draft").results.filter(note="Ghi qua API").exists(),
    "submit": lambda w, s, user: Assessment.objects.get(pk=o(w, s, "draft").pk).status == Status.SUBMITTED,
    "return": lambda w, s, user: Assessment.objects.get(pk=o(w, s, "submitted").pk).status == Status.RETURNED,
    "verify": lambda w, s, user: Assessment.objects.get(pk=o(w, s, "submitted").pk).status == Status.VERIFIED,
    "recognize": lambda w, s, user: Recognition.objects.filter(unit=o(w, s, "unit"), decision_number="9/QĐ").exists(),
    "revoke": lambda w, s, user: Recognition.objects.get(pk=o(w, s, "recognition").pk).revoked_on is not None,
}

READS = [e for e in ENDPOINTS if e[1] == "get"]
WRITES = [
    pytest.param(name, url, data, role, scope, 401 if role == "anonymous" else expected[role][index],
                 id=f"{name}-{role}-{scope}")
    for name, method, url, data, expected in ENDPOINTS if method == "post"
    for role in ROLES
    for index, scope in enumerate(("own", "other"))
]


def test_every_write_has_its_effect_checked():
    assert set(EFFECTS) == {name for name, method, *_ in ENDPOINTS if method == "post"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_reads(client, unit, other_unit, admin_user, role):
    """Reads change nothing: one world per role, every read endpoint on both scopes."""
    world = build_world(unit=unit, other_unit=other_unit, admin=admin_user)
    headers = bearer(world.tokens[role]) if role in world.tokens else {}
    got, wanted = {}, {}
    for name, _method, url, _data, expected in READS:
        for index, scope in enumerate(("own", "other")):
            got[name, scope] = client.get(url(world, scope), **headers).status_code
            wanted[name, scope] = 401 if role == "anonymous" else expected[role][index]
    assert got == wanted


@pytest.mark.django_db
@pytest.mark.parametrize("name,url,data,role,scope,expected", WRITES)
def test_permission_matrix_writes(client, unit, other_unit, admin_user, name, url, data, role, scope, expected):
    world = build_world(unit=unit, other_unit=other_unit, admin=admin_user)
    user = world.users.get(role)
    headers = bearer(world.tokens[role]) if user else {}
    response = client.post(url(world, scope), data(world, scope), content_type="application/json", **headers)
    assert response.status_code == expected, response.content.decode()[:500]
    done = EFFECTS[name](world, scope, user)
    assert done is (expected in (200, 201)), f"{name} by {role} on {scope}: effect {done}, status {expected}"
